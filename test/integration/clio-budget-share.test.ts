import { clioTokenStore } from '../../src/config/clio-clients';
import { connectClio, startOAuthSystem } from '../helpers/clio-consent';
import { type System } from '../helpers/system';

/**
 * In OAuth mode the API's reads and the workflows' calls carry one access token per tenant, and Clio counts its
 * rate limit per token: reads that poll keep to their share of each window, so the workflows still have theirs.
 */
describe("API reads keep to their share of a tenant's Clio rate window (OAuth mode)", () => {
  const LIMIT = 10;
  const admin = { authorization: 'Bearer sandbox-admin' };
  let sys: System;
  beforeAll(async () => {
    sys = await startOAuthSystem({
      API_CLIO_BUDGET_SHARE: '0.5',
      API_RATE_LIMIT_PER_MINUTE: '100000',
    });
    expect((await connectClio(sys, 'sandbox', admin)).status).toBe(200);
  });
  afterAll(async () => {
    await sys?.stop();
  });

  const stats = async () =>
    (await (await fetch(`${sys.clioUrl}/_sandbox/stats`)).json()) as { byStatus: Record<string, number> };

  test('when an integration polls past its share, then it gets 503 with Retry-After and the workflows still have the rest of the window', async () => {
    await fetch(`${sys.clioUrl}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rateLimitPerMinute: LIMIT }),
    });
    const answered429Before = (await stats()).byStatus['429'] ?? 0;

    let refused: Response | undefined;
    let served = 0;
    for (let i = 0; i < 3 * LIMIT && !refused; i++) {
      const res = await fetch(`${sys.api.url}/v1/matters?limit=1`, { headers: admin });
      if (res.status === 200) served++;
      else refused = res;
    }
    expect(refused?.status).toBe(503);
    const body = (await refused!.json()) as { error: { code: string } };
    expect(body.error.code).toBe('clio_rate_limited');
    const retryAfter = Number(refused!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    // Until the window ends: 60 s at most, Clio's reset is in whole seconds, and the budget waits a margin past it.
    expect(retryAfter).toBeLessThanOrEqual(62);
    expect(served).toBeGreaterThan(0);
    // The API stopped by itself: Clio never had to refuse it.
    expect((await stats()).byStatus['429'] ?? 0).toBe(answered429Before);

    // A workflow's call on the same tenant carries the same token (from the store) and finds half the window
    // left: the reads took their half (less, if the window turned over while they polled), not the rest.
    const tokens = await clioTokenStore(sys.config, sys.db.knex).load('sandbox');
    const workflowCall = await fetch(`${sys.clioUrl}/api/v4/users/who_am_i.json?fields=id`, {
      headers: { authorization: `Bearer ${tokens!.accessToken}` },
    });
    expect(workflowCall.status).toBe(200);
    expect(Number(workflowCall.headers.get('x-ratelimit-remaining'))).toBeGreaterThanOrEqual(LIMIT / 2 - 1);
  });
});
