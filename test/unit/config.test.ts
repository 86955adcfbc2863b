import { ConfigError, loadConfig } from '../../src/config';
import { VARS, type VarSpec } from '../../src/config/schema';

/** Any further variable production requires (those with a sandbox default), set to a value its schema takes. */
function productionExtras(): Record<string, string> {
  const known = [
    'CLIO_CLIENT_ID',
    'CLIO_CLIENT_SECRET',
    'CLIO_REFRESH_TOKEN',
    'CLIO_PORTAL_USERNAME',
    'CLIO_PORTAL_PASSWORD',
    'CLIO_PORTAL_TOTP_SECRET',
    'DATABASE_URL',
    'DATA_ENCRYPTION_KEY',
  ];
  return Object.fromEntries(
    Object.entries(VARS as Record<string, VarSpec>)
      .filter(([name, spec]) => spec.sandboxDefault !== undefined && !known.includes(name))
      // A secret gets a value of its own (the sandbox's are published and refused in production).
      .map(([name, spec]) => [
        name,
        spec.secret
          ? Buffer.alloc(32, 5).toString('base64')
          : spec.sandboxDefault!.replace(/^sandbox/, 'prod'),
      ]),
  );
}

describe('loadConfig', () => {
  test('when nothing is set, then sandbox defaults apply and sandbox mode is on', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
    expect(config.CLIO_CLIENT_ID).toBe('sandbox-client');
    expect(config.PUBLIC_URL).toBe('http://127.0.0.1:3000');
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
    expect(error!.problems.map((p) => p.name).sort()).toEqual([
      'CLIO_BASE_URL',
      'LOG_LEVEL',
      'PORT',
      'TEMPORAL_TLS',
    ]);
    expect(error!.message).toMatch(/PORT: .*CLIO_BASE_URL|CLIO_BASE_URL: .*PORT/s);
  });

  test('when CLIO_API_VERSION is older than 4.0.4 (time in hours), then it is refused', () => {
    expect(() => loadConfig({ CLIO_API_VERSION: '4.0.3' })).toThrow(/CLIO_API_VERSION.*4\.0\.4 or later/s);
    expect(loadConfig({ CLIO_API_VERSION: '4.0.4' }).CLIO_API_VERSION).toBe('4.0.4');
    expect(loadConfig({ CLIO_API_VERSION: '4.1.0' }).CLIO_API_VERSION).toBe('4.1.0');
  });

  test('when IDEMPOTENCY_LEASE_SECONDS is unset, then a request holds its key 60 seconds; a whole number from 5 to 3600 is taken, anything else refused', () => {
    expect(loadConfig({}).IDEMPOTENCY_LEASE_SECONDS).toBe(60);
    expect(
      loadConfig({ IDEMPOTENCY_LEASE_SECONDS: '5', API_TEMPORAL_TIMEOUT_SECONDS: '2' })
        .IDEMPOTENCY_LEASE_SECONDS,
    ).toBe(5);
    expect(loadConfig({ IDEMPOTENCY_LEASE_SECONDS: '3600' }).IDEMPOTENCY_LEASE_SECONDS).toBe(3600);
    const refusal = (value: string) => {
      try {
        loadConfig({ IDEMPOTENCY_LEASE_SECONDS: value });
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as ConfigError).problems;
      }
      throw new Error(`IDEMPOTENCY_LEASE_SECONDS=${value} was accepted`);
    };
    expect(refusal('abc')).toEqual([
      { name: 'IDEMPOTENCY_LEASE_SECONDS', message: 'must be a whole number' },
    ]);
    expect(refusal('7.5')).toEqual([
      { name: 'IDEMPOTENCY_LEASE_SECONDS', message: 'must be a whole number' },
    ]);
    expect(refusal('0')).toEqual([
      { name: 'IDEMPOTENCY_LEASE_SECONDS', message: 'must be greater than zero' },
    ]);
    expect(refusal('4')).toEqual([
      { name: 'IDEMPOTENCY_LEASE_SECONDS', message: expect.stringMatching(/^must be at least 5 seconds/) },
    ]);
    expect(refusal('3601')).toEqual([
      { name: 'IDEMPOTENCY_LEASE_SECONDS', message: expect.stringMatching(/^must be at most 3600 seconds/) },
    ]);
  });

  test('when IDEMPOTENCY_LEASE_SECONDS is no more than twice API_TEMPORAL_TIMEOUT_SECONDS, then the configuration is refused naming both', () => {
    expect(() => loadConfig({ IDEMPOTENCY_LEASE_SECONDS: '20' })).toThrow(
      /IDEMPOTENCY_LEASE_SECONDS: must be more than twice API_TEMPORAL_TIMEOUT_SECONDS \(10\)/,
    );
    expect(() => loadConfig({ IDEMPOTENCY_LEASE_SECONDS: '60', API_TEMPORAL_TIMEOUT_SECONDS: '30' })).toThrow(
      /IDEMPOTENCY_LEASE_SECONDS/,
    );
    expect(loadConfig({ IDEMPOTENCY_LEASE_SECONDS: '21' }).IDEMPOTENCY_LEASE_SECONDS).toBe(21);
  });

  test('when a boolean setting is neither true nor false, then the refusal says what is taken', () => {
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'maybe' })).toThrow(
      'WEBHOOK_ALLOW_PRIVATE_TARGETS: must be true or false (1/0 and yes/no are taken too)',
    );
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'yes' }).WEBHOOK_ALLOW_PRIVATE_TARGETS).toBe(true);
  });

  test('when booleans are spelled "false", then they are false (not Boolean("false"))', () => {
    expect(loadConfig({ START_SANDBOXES: 'false' }).START_SANDBOXES).toBe(false);
    expect(loadConfig({ TEMPORAL_TLS: 'true' }).TEMPORAL_TLS).toBe(true);
  });

  test('when NODE_ENV is production, then sandbox credentials are not defaults and sandboxes never start', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/CLIO_CLIENT_ID: required in production/);
    const base = {
      NODE_ENV: 'production',
      CLIO_CLIENT_ID: 'id',
      CLIO_CLIENT_SECRET: 'secret-value',
      CLIO_REFRESH_TOKEN: 'refresh-value',
      CLIO_PORTAL_USERNAME: 'u@firm.test',
      CLIO_PORTAL_PASSWORD: 'pw-value',
      CLIO_PORTAL_TOTP_SECRET: '',
      DATABASE_URL: 'postgres://svc:pw@db:5432/clio_orchestrator',
      PAYLOAD_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 9).toString('base64')}`,
      ...productionExtras(),
    };
    const prod = loadConfig({ ...base, DATA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') });
    expect(prod.CLIO_PORTAL_TOTP_SECRET).toBe('');
    expect(prod.sandboxMode).toBe(false);
    expect(prod.START_SANDBOXES).toBe(false);
    expect(() => loadConfig({ NODE_ENV: 'production', START_SANDBOXES: 'true' })).toThrow(/START_SANDBOXES/);
    // Nor do the sandbox's hosts and tenant stand in for the firm's, nor its published secrets for real ones.
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /CLIO_BASE_URL: required in production.*IMANAGE_BASE_URL: required in production.*DEFAULT_TENANT: required/s,
    );
    // Nor the API's loopback address for the one Clio redirects browsers to after OAuth consent.
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/PUBLIC_URL: required in production/);
    expect(
      loadConfig({
        ...base,
        DATA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
        PUBLIC_URL: 'https://orchestrator.firm.example',
      }).PUBLIC_URL,
    ).toBe('https://orchestrator.firm.example');
    const published = (VARS as Record<string, VarSpec>).DATA_ENCRYPTION_KEY!.sandboxDefault!;
    expect(() => loadConfig({ ...base, DATA_ENCRYPTION_KEY: published })).toThrow(
      /DATA_ENCRYPTION_KEY: is the published sandbox value/,
    );
    expect(() =>
      loadConfig({ ...base, CLIO_CLIENT_SECRET: 'sandbox-secret', DATA_ENCRYPTION_KEY: published }),
    ).toThrow(/CLIO_CLIENT_SECRET: is the published sandbox value/);
    // A refresh token is the refresh_token mode's; in OAuth mode tenants connect through the consent page.
    const { CLIO_REFRESH_TOKEN: _unused, ...withoutRefresh } = {
      ...base,
      DATA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    };
    expect(() => loadConfig(withoutRefresh)).toThrow(/CLIO_REFRESH_TOKEN: required in production/);
    expect(loadConfig({ ...withoutRefresh, CLIO_AUTH_MODE: 'oauth' }).CLIO_REFRESH_TOKEN).toBeUndefined();
  });
});
