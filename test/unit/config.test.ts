import { ConfigError, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  test('when nothing is set, then sandbox defaults apply and sandbox mode is on', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
    expect(config.CLIO_CLIENT_ID).toBe('sandbox-client');
    expect(config.START_SANDBOXES).toBe(true);
    expect(config.sandboxMode).toBe(true);
    expect(Object.isFrozen(config)).toBe(true);
  });

  test('when several values are bad, then one error lists every invalid variable', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ PORT: 'eighty', CLIO_BASE_URL: 'ftp://x', TEMPORAL_TLS: 'maybe', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems.map((p) => p.name).sort()).toEqual(['CLIO_BASE_URL', 'LOG_LEVEL', 'PORT', 'TEMPORAL_TLS']);
    expect(error!.message).toMatch(/PORT: .*CLIO_BASE_URL|CLIO_BASE_URL: .*PORT/s);
  });

  test('when booleans are spelled "false", then they are false (not Boolean("false"))', () => {
    expect(loadConfig({ START_SANDBOXES: 'false' }).START_SANDBOXES).toBe(false);
    expect(loadConfig({ TEMPORAL_TLS: 'true' }).TEMPORAL_TLS).toBe(true);
  });

  test('when NODE_ENV is production, then sandbox credentials are not defaults and sandboxes never start', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/CLIO_CLIENT_ID: required in production/);
    const prod = loadConfig({
      NODE_ENV: 'production',
      CLIO_CLIENT_ID: 'id',
      CLIO_CLIENT_SECRET: 'secret-value',
      CLIO_REFRESH_TOKEN: 'refresh-value',
      CLIO_PORTAL_USERNAME: 'u@firm.test',
      CLIO_PORTAL_PASSWORD: 'pw-value',
      CLIO_PORTAL_TOTP_SECRET: 'JBSWY3DPEHPK3PXP',
      SESSION_ENCRYPTION_KEY: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    });
    expect(prod.sandboxMode).toBe(false);
    expect(prod.START_SANDBOXES).toBe(false);
    expect(() => loadConfig({ NODE_ENV: 'production', START_SANDBOXES: 'true' })).toThrow(/START_SANDBOXES/);
  });
});
