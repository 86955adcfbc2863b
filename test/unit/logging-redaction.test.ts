import { captureLog } from '../helpers/log-capture';
import { accessLogger, createLogger } from '../../src/logging/logger';

describe('log redaction beyond the fixed paths', () => {
  test('when a credential sits deeper than the redact paths reach, under another capitalization, or in an aggregate error, then its value never reaches the output', () => {
    const { lines, destination } = captureLog();
    const logger = createLogger({ level: 'info', destination });
    const failedCall = Object.assign(new Error('portal refused'), {
      config: { headers: { authorization: 'Token agg-secret-1', 'X-CSRF-Token': 'csrf-secret-1' } },
    });
    logger.error({ err: new AggregateError([failedCall], 'every attempt failed') }, 'sign-in failed');
    logger.info({
      request: { options: { headers: { 'X-Api-Key': 'xapikey-secret-1', 'x-csrf-token': 'csrf-secret-2' } } },
      a: { b: { c: { d: { password: 'depth5-password', refresh_token: 'depth5-refresh' } } } },
      answer: { 'Set-Cookie': ['remember_user_token=cookie-secret-1; path=/'] },
      challenge: { mfaCode: 654321 },
    });
    // As the Temporal SDK logs a failed activity attempt (src/logging/temporal-logger.ts passes its meta on).
    logger.warn(
      { taskToken: 'CiQwMWEyMTRiOC10YXNrLXRva2VuLTE=', activityType: 'createClioTimeEntry', attempt: 1 },
      'Activity failed',
    );
    // As the SDK's Rust core words its warnings (forwarded at WARN): a field and the message text.
    logger.warn(
      { sdkComponent: 'core', task_token: 'TaskToken(CiQwMWEyMTRiOC10YXNrLXRva2VuLTI=)' },
      'Activity not found on completion.',
    );
    logger.warn(
      { sdkComponent: 'core', detail: 'TaskToken(CiQwMWEyMTRiOC10YXNrLXRva2VuLTM=)' },
      'Attempted to complete activity task CiQwMWEyMTRiOC10YXNrLXRva2VuLTQ= but we were not tracking it',
    );
    const out = lines.join('');
    for (const secret of [
      'agg-secret-1',
      'csrf-secret-1',
      'xapikey-secret-1',
      'csrf-secret-2',
      'depth5-password',
      'depth5-refresh',
      'cookie-secret-1',
      '654321',
      'CiQwMWEyMTRiOC10YXNrLXRva2VuLTE=',
      'CiQwMWEyMTRiOC10YXNrLXRva2VuLTI=',
      'CiQwMWEyMTRiOC10YXNrLXRva2VuLTM=',
      'CiQwMWEyMTRiOC10YXNrLXRva2VuLTQ=',
    ])
      expect(out).not.toContain(secret);
    // Still one JSON object a line: censoring never breaks a string or an escape.
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(out).toContain('portal refused');
    expect(out).toContain('every attempt failed');
  });

  test('when an error text quotes a token answer, a form body, a cookie header or a URL with a token, then the values are censored and the rest kept', () => {
    const { lines, destination } = captureLog();
    const log = accessLogger(createLogger({ level: 'info', destination }));
    log.warn(
      {
        err: new Error(
          'Clio answered 400 to GET https://app.clio.com/api/v4/users?access_token=qs-secret-1&fields=id',
        ),
      },
      'token refresh answered {"access_token":"at-secret-1","token_type":"bearer","refresh_token":"rt-secret-1"}',
    );
    log.warn('sent grant_type=refresh_token&refresh_token=rt-secret-2&client_secret=cs-secret-2');
    log.warn('portal answered Set-Cookie: remember_user_token=cookie-secret-2; path=/; HttpOnly');
    log.warn('callback /oauth/clio/callback?state=st-secret-3&code=code-secret-3 refused');
    const out = lines.join('');
    for (const secret of [
      'qs-secret-1',
      'at-secret-1',
      'rt-secret-1',
      'rt-secret-2',
      'cs-secret-2',
      'cookie-secret-2',
      'st-secret-3',
      'code-secret-3',
    ])
      expect(out).not.toContain(secret);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    for (const kept of ['fields=id', 'token_type', 'grant_type=refresh_token', 'portal answered', 'refused'])
      expect(out).toContain(kept);
  });

  test('when a line holds no credentials, then it is written unchanged', () => {
    const { lines, destination } = captureLog();
    const logger = createLogger({ level: 'info', destination });
    logger.info(
      { tokenCount: 3, kind: 'token', status: { code: 'ok' }, note: 'status code=500 for key rotation' },
      'refreshed',
    );
    const out = lines.join('');
    expect(out).toContain('"tokenCount":3');
    expect(out).toContain('"kind":"token"');
    expect(out).toContain('"code":"ok"');
    expect(out).toContain('status code=500 for key rotation');
    expect(out).not.toContain('[REDACTED]');
  });
});
