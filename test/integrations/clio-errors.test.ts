import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import pino from 'pino';
import { ClioApiError } from '../../src/integrations/clio/errors';
import { ClioHttpClient } from '../../src/integrations/clio/http-client';
import { RateBudgetRegistry } from '../../src/integrations/clio/rate-budget-registry';
import { type TokenProvider } from '../../src/integrations/clio/token-provider';
import { clioClient, refreshTokens, startClio, type ClioHarness } from './helpers';

let h: ClioHarness;
beforeAll(async () => {
  h = await startClio();
});
afterAll(() => h.close());
afterEach(async () => {
  await fetch(`${h.baseUrl}/_sandbox/reset`, { method: 'POST' });
});

async function failure(p: Promise<unknown>): Promise<ClioApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ClioApiError) return err;
    throw err;
  }
  throw new Error('expected a ClioApiError');
}

/** A stand-in Clio that answers every request with the given status and Clio's error envelope. */
async function statusServer(
  status: number,
  headers: Record<string, string> = {},
): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ error: { type: `Type${status}`, message: `message ${status}` } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('Clio errors: classification', () => {
  it.each([
    [400, false],
    [403, false],
    [404, false],
    [409, false],
    [412, false],
    [422, false],
    [408, true],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
  ])(
    'when Clio answers %i, then retryable is %s and Clio type and message are kept',
    async (status, retryable) => {
      const { url, server } = await statusServer(status, status === 429 ? { 'retry-after': '7' } : {});
      try {
        const err = await failure(clioClient(url).matters.get('1'));
        expect(err).toMatchObject({
          status,
          retryable,
          type: status === 429 ? 'RateLimited' : `Type${status}`,
        });
        if (status !== 429) expect(err.message).toContain(`message ${status}`);
        if (status === 429) expect(err.retryAfterMs).toBe(7000);
      } finally {
        server.close();
      }
    },
  );

  it("when a 429's Retry-After ends before Clio's window does, then the error waits for the window's reset", async () => {
    const resetAt = Math.ceil(Date.now() / 1000) + 12;
    const { url, server } = await statusServer(429, {
      'retry-after': '10',
      'x-ratelimit-limit': '50',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(resetAt),
    });
    try {
      const err = await failure(clioClient(url).matters.get('1'));
      // A caller back after retryAfterMs finds this process's budget open, not shut for another second or two.
      expect(Date.now() + err.retryAfterMs!).toBeGreaterThanOrEqual(resetAt * 1000);
    } finally {
      server.close();
    }
  });

  it('when the record does not exist, then a non-retryable 404 with RecordNotFound', async () => {
    const err = await failure(clioClient(h.baseUrl).matters.get('1'));
    expect(err).toMatchObject({ status: 404, type: 'RecordNotFound', retryable: false });
  });

  it('when a field is unknown, then a non-retryable 400', async () => {
    const err = await failure(clioClient(h.baseUrl).matters.listPage({ fields: 'id,no_such_field' }));
    expect(err).toMatchObject({ status: 400, retryable: false });
  });

  it('when If-Match is stale, then a non-retryable 412', async () => {
    const clio = clioClient(h.baseUrl);
    const m = (await clio.matters.listPage({ limit: 1 })).data[0];
    const err = await failure(
      clio.matters.update(m?.id as string, { description: 'x' }, { ifMatch: '"stale"' }),
    );
    expect(err).toMatchObject({ status: 412, retryable: false });
  });

  it('when the server fails, then a retryable 5xx', async () => {
    await h.faults({ errorRate: 1 });
    const err = await failure(clioClient(h.baseUrl).users.whoAmI());
    expect(err.retryable).toBe(true);
    expect([500, 503]).toContain(err.status);
  });

  it('when nothing answers, then a retryable NetworkError', async () => {
    const { url, server } = await statusServer(200);
    await new Promise((r) => server.close(r));
    const err = await failure(clioClient(url).users.whoAmI());
    expect(err).toMatchObject({ type: 'NetworkError', retryable: true, status: undefined });
  });

  it('when Clio accepts the request but never answers, then a retryable NetworkError after the timeout', async () => {
    const server = createServer(() => undefined); // holds every request open
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const http = new ClioHttpClient({
      baseUrl: url,
      apiVersion: '4.0.9',
      tokens: { getAccessToken: () => Promise.resolve('t'), invalidate: () => undefined },
      logger: pino({ level: 'silent' }),
    });
    const started = Date.now();
    const err = await failure(http.request('GET', 'users/who_am_i.json', { timeoutMs: 300 }));
    expect(err).toMatchObject({ type: 'NetworkError', retryable: true, status: undefined });
    expect(Date.now() - started).toBeLessThan(5_000);
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
});

describe('Clio errors: rate limits the budget did not prevent', () => {
  /** Another process (its own registry) spent the token's window, so this one meets the limit. */
  async function spendWindow(limit: number): Promise<void> {
    await h.faults({ rateLimitPerMinute: limit });
    const other = clioClient(h.baseUrl, { budgets: new RateBudgetRegistry() });
    for (let i = 0; i < limit; i++) await other.users.whoAmI();
  }

  it('when Clio answers 429, then a retryable RateLimited error carries Retry-After', async () => {
    await spendWindow(3);
    const err = await failure(clioClient(h.baseUrl, { budgets: new RateBudgetRegistry() }).users.whoAmI());
    expect(err).toMatchObject({ status: 429, type: 'RateLimited', retryable: true });
    expect(err.retryAfterMs).toBeGreaterThan(0);
    // A 60 s window, Clio's reset in whole seconds, and the budget's margin past it.
    expect(err.retryAfterMs).toBeLessThanOrEqual(61_250);
  });

  it('when Clio disguises the limit as a 200 with a base64 body, then it is treated as a 429', async () => {
    await spendWindow(3);
    await h.faults({ disguisedRateLimit: true });
    const err = await failure(clioClient(h.baseUrl, { budgets: new RateBudgetRegistry() }).users.whoAmI());
    expect(err).toMatchObject({ status: 429, type: 'RateLimited', retryable: true });
    expect(err.message).toMatch(/disguised/);
    expect(err.retryAfterMs).toBeGreaterThan(0);
  });
});

describe('Clio errors: 401 and token refresh', () => {
  const tokenRequests = async () => (await h.stats()).byRoute['POST /oauth/token'] ?? 0;

  /**
   * Ends the access token the provider holds before it expects (the sandbox's control; the grant stands), so the
   * next request meets a 401. Deauthorizing would revoke the grant itself, refresh token included, as Clio does.
   */
  async function refuseAccessToken(tokens: TokenProvider): Promise<void> {
    await tokens.getAccessToken();
    const res = await fetch(`${h.baseUrl}/_sandbox/expire-access-tokens`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { expired: number }).expired).toBeGreaterThan(0);
  }

  it('when the access token is refused, then the client refreshes once and the request succeeds', async () => {
    const tokens = refreshTokens(h.baseUrl);
    const clio = clioClient(h.baseUrl, { tokens });
    await clio.users.whoAmI();
    expect(await tokenRequests()).toBe(1);
    await refuseAccessToken(tokens);
    const me = await clio.users.whoAmI();
    expect(me.email).toBe('admin@sandbox.test');
    expect(await tokenRequests()).toBe(2);
    expect((await h.stats()).byStatus['401']).toBe(1);
  });

  it('when the access token has expired, then it is refreshed before use, without a 401', async () => {
    await h.faults({ accessTokenTtlSeconds: 1 });
    const clio = clioClient(h.baseUrl, { tokens: refreshTokens(h.baseUrl, { earlyRefreshMs: 0 }) });
    await clio.users.whoAmI();
    await new Promise((r) => setTimeout(r, 1100));
    await clio.users.whoAmI();
    expect(await tokenRequests()).toBe(2);
    expect((await h.stats()).byStatus['401']).toBeUndefined();
  });

  it('when 50 callers start at once, then one token request serves them all', async () => {
    const clio = clioClient(h.baseUrl, { tokens: refreshTokens(h.baseUrl) });
    const users = await Promise.all(Array.from({ length: 50 }, () => clio.users.whoAmI()));
    expect(users).toHaveLength(50);
    expect(await tokenRequests()).toBe(1);
  });

  it('when 50 concurrent requests meet a 401, then one refresh serves them all', async () => {
    const tokens = refreshTokens(h.baseUrl);
    const clio = clioClient(h.baseUrl, { tokens });
    await clio.users.whoAmI();
    await refuseAccessToken(tokens);
    const users = await Promise.all(Array.from({ length: 50 }, () => clio.users.whoAmI()));
    expect(users).toHaveLength(50);
    expect((await h.stats()).byStatus['401']).toBe(50);
    expect(await tokenRequests()).toBe(2);
  });
});
