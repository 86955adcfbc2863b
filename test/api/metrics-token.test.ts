import { startSystem, type System } from '../helpers/system';

const TOKEN = 'prometheus-scrape-token-0123456789abcdef';

describe('GET /metrics with METRICS_TOKEN set', () => {
  let sys: System;
  beforeAll(async () => {
    sys = await startSystem({ METRICS_TOKEN: TOKEN }, { captureLogs: true });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  const scrape = (headers: Record<string, string> = {}) => fetch(`${sys.api.url}/metrics`, { headers });

  test('a scrape with the token gets the metrics', async () => {
    await fetch(`${sys.api.url}/v1/matters?limit=1`, { headers: { authorization: 'Bearer sandbox-admin' } });
    const res = await scrape({ authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toMatch(
      /http_requests_total\{method="GET",route="\/v1\/matters",status="200"\} [1-9]/,
    );
  });

  test.each([
    ['no Authorization header', {}, 'Send the metrics token as Authorization: Bearer <token>'],
    ['another token', { authorization: `Bearer ${TOKEN}x` }, 'The metrics token is not valid'],
    ['an API key', { authorization: 'Bearer sandbox-admin' }, 'The metrics token is not valid'],
    ['the token in another scheme', { authorization: `Basic ${TOKEN}` }, 'Send the metrics token'],
  ])('%s: 401 with the standard error body, and no metrics', async (_what, headers, message) => {
    const res = await scrape(headers);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('unauthenticated');
    expect(body.error.message).toContain(message);
    expect(JSON.stringify(body)).not.toContain('http_requests_total');
  });

  test('the token appears in no log line', () => {
    expect(sys.logs.length).toBeGreaterThan(0);
    expect(sys.logs.join('\n')).not.toContain(TOKEN);
  });

  test('a token shorter than 24 characters is refused at startup, naming the variable', async () => {
    const { loadConfig } = await import('../../src/config');
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(
      /METRICS_TOKEN: must be at least 24 characters/,
    );
  });
});
