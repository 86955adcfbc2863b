import { startSystem, type System } from '../helpers/system';

const TOKEN = 'prometheus-scrape-token-0123456789abcdef';

describe('GET /metrics (METRICS_TOKEN set)', () => {
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

  test('requests refused before their route is reached are counted under that route, not as unmatched', async () => {
    const v1 = (path: string, init: RequestInit = {}) => fetch(`${sys.api.url}${path}`, init);
    expect((await v1('/v1/matters?limit=1')).status).toBe(401);
    expect((await v1('/v1/Matters/9800001', { headers: { authorization: 'Bearer not-a-key' } })).status).toBe(
      401,
    );
    const badJson = await v1('/v1/time-entries', {
      method: 'POST',
      headers: { authorization: 'Bearer sandbox-attorney', 'content-type': 'application/json' },
      body: '{"entries":',
    });
    expect(badJson.status).toBe(400);
    expect(
      (await v1('/v1/no-such-route', { headers: { authorization: 'Bearer sandbox-admin' } })).status,
    ).toBe(404);
    const metrics = await (await scrape({ authorization: `Bearer ${TOKEN}` })).text();
    const count = (labels: string) =>
      Number(new RegExp(`http_requests_total\\{${labels}\\} (\\d+)`).exec(metrics)?.[1] ?? 0);
    expect({
      list401: count('method="GET",route="/v1/matters",status="401"'),
      record401: count('method="GET",route="/v1/matters/:id",status="401"'),
      post400: count('method="POST",route="/v1/time-entries",status="400"'),
      unmatched404: count('method="GET",route="unmatched",status="404"'),
    }).toEqual({ list401: 1, record401: 1, post400: 1, unmatched404: 1 });
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
