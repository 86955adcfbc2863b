import { captureLog } from '../helpers/log-capture';
import { loadConfig } from '../../src/config';
import { configSecrets } from '../../src/logging/config-secrets';
import { accessLogger, createLogger, loggableUrl } from '../../src/logging/logger';

describe('logger redaction', () => {
  test('when a log object carries credentials, then their values never reach the output', () => {
    const { lines, destination } = captureLog();
    const logger = createLogger({ level: 'info', destination, secrets: ['configured-client-secret'] });
    logger.info(
      {
        headers: { authorization: 'Bearer abc.def.ghi', cookie: 'session=xyz' },
        password: 'hunter22',
        mfaCode: '123456',
        nested: { refresh_token: 'r-123456', access_token: 'a-123456' },
        req: { headers: { authorization: 'Bearer qqq' } },
      },
      'calling Clio with Bearer tok-in-text and configured-client-secret and _clio_session=cookieval',
    );
    const out = lines.join('');
    for (const secret of [
      'abc.def.ghi',
      'xyz',
      'hunter22',
      '123456',
      'r-123456',
      'a-123456',
      'qqq',
      'tok-in-text',
      'configured-client-secret',
      'cookieval',
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('[REDACTED]');
    expect(out).toContain('calling Clio with');
  });

  test('when a secret holds characters JSON escapes, or credentials sit deeper or under capitalized headers, then they never reach the output', () => {
    const { lines, destination } = captureLog();
    const logger = createLogger({ level: 'info', destination, secrets: ['pa"ss\\word123'] });
    const err = new Error('sign-in as admin with pa"ss\\word123 failed');
    logger.info(
      {
        err,
        request: { options: { headers: { Authorization: 'Basic dXNlcjpzZWNyZXQ=', Cookie: 'sid=zzz' } } },
        a: { b: { c: { password: 'deep-secret-1' } } },
      },
      'proxy answered for Basic dXNlcjpzZWNyZXQ=',
    );
    const out = lines.join('');
    for (const secret of ['ss\\\\word123', 'dXNlcjpzZWNyZXQ=', 'sid=zzz', 'deep-secret-1'])
      expect(out).not.toContain(secret);
    expect(out).toContain('sign-in as admin with');
  });
});

describe('configured secrets', () => {
  test('when the database URL carries a password and payload keys are configured, then each is a secret to scrub', () => {
    const key = Buffer.alloc(32, 7);
    const config = loadConfig({
      DATABASE_URL: 'postgres://svc:p%40ss-w0rd@db:5432/clio',
      PAYLOAD_ENCRYPTION_KEYS: `k2:${key.toString('base64')},k1:${Buffer.alloc(32, 9).toString('base64')}`,
    });
    const secrets = configSecrets(config);
    expect(secrets).toEqual(expect.arrayContaining(['p%40ss-w0rd', 'p@ss-w0rd', key.toString('base64')]));
    expect(secrets).toContain(Buffer.alloc(32, 9).toString('base64'));
    // A password that is not valid percent-encoding is still a secret, as written.
    expect(configSecrets(loadConfig({ DATABASE_URL: 'postgres://svc:ab%zz99x@db:5432/clio' }))).toContain(
      'ab%zz99x',
    );
  });
});

describe('the access log', () => {
  test('when a URL carries an OAuth code or a token, then its value is censored and the rest kept', () => {
    expect(loggableUrl('/oauth/clio/callback?code=abc123&state=s-456')).toBe(
      '/oauth/clio/callback?code=[REDACTED]&state=[REDACTED]',
    );
    expect(loggableUrl('/v1/x?Access_Token=t1&a=2%203')).toBe('/v1/x?Access_Token=[REDACTED]&a=2%203');
    expect(loggableUrl('/v1/matters?limit=50&query=decode')).toBe('/v1/matters?limit=50&query=decode');
    expect(loggableUrl('/healthz')).toBe('/healthz');
  });

  test('when the access log records a failed request, then secrets in the error never reach the output', () => {
    const { lines, destination } = captureLog();
    const log = accessLogger(createLogger({ level: 'info', destination }));
    const err = Object.assign(new Error('refused'), {
      password: 'hunter22',
      config: { headers: { authorization: 'Bearer zzz' }, token: 'tok-777777' },
    });
    log.child({ req: { id: 'r1', method: 'GET', url: '/v1/matters' } }).error({ err }, 'request failed');
    const out = lines.join('');
    for (const secret of ['hunter22', 'zzz', 'tok-777777']) expect(out).not.toContain(secret);
    expect(out).toContain('/v1/matters');
    expect(out).toContain('refused');
  });
});
