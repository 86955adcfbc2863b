import { startSandbox, type Harness, type Json } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startSandbox();
});
afterAll(() => h.sandbox.close());
afterEach(async () => {
  await fetch(`${h.base}/_sandbox/reset`, { method: 'POST' });
});

const faults = (body: unknown) =>
  fetch(`${h.base}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
const entry = {
  data: { type: 'TimeEntry', date: '2026-11-03', quantity: 600, note: 'drop test', matter: { id: 9800001 } },
};

describe('sandbox controls', () => {
  it('when dumped, then the contract collections are there in API shape', async () => {
    const dump = (await (await fetch(`${h.base}/_sandbox/dump`)).json()) as Json;
    for (const c of [
      'users',
      'contacts',
      'matters',
      'activities',
      'bills',
      'bank_accounts',
      'bank_transactions',
      'calendar_entries',
      'tasks',
      'documents',
      'notes',
      'inbox_leads',
    ])
      expect(Array.isArray(dump[c])).toBe(true);
    expect(dump.users).toHaveLength(25);
    expect(dump.contacts).toHaveLength(500);
    expect(dump.matters).toHaveLength(1000);
    expect(dump.activities).toHaveLength(20000);
    expect(dump.users.find((u: Json) => u.email === 'admin@sandbox.test')).toBeTruthy();
    const trust = dump.bank_accounts.find((b: Json) => b.type === 'Trust');
    const clients = new Set(
      dump.bank_transactions
        .filter((t: Json) => t.bank_account_id === trust.id)
        .map((t: Json) => t.client.id),
    );
    expect(clients.size).toBe(200);
    const sum = dump.bank_transactions
      .filter((t: Json) => t.bank_account_id === trust.id)
      .reduce((s: number, t: Json) => s + Math.round(t.amount * 100), 0);
    expect(Math.round(trust.balance * 100)).toBe(sum);
  });

  it('when faults are posted, then partial updates merge and reset clears them', async () => {
    expect(await (await faults({ latencyMs: 5 })).json()).toMatchObject({
      latencyMs: 5,
      errorRate: 0,
      rateLimitPerMinute: 600,
    });
    expect(await (await faults({ errorRate: 0.1 })).json()).toMatchObject({ latencyMs: 5, errorRate: 0.1 });
    expect((await faults({ errorRate: 3 })).status).toBe(400);
    await fetch(`${h.base}/_sandbox/reset`, { method: 'POST' });
    expect((await (await fetch(`${h.base}/_sandbox/faults`)).json()) as Json).toMatchObject({
      latencyMs: 0,
      errorRate: 0,
    });
  });

  it('when errorRate is 1, then every call fails with 500/503 before doing anything', async () => {
    await faults({ errorRate: 1 });
    const res = await h.call('/api/v4/activities', { method: 'POST', json: entry });
    expect([500, 503]).toContain(res.status);
    expect(res.body.error.type).toBeTruthy();
    await faults({ errorRate: 0 });
    expect((await h.call('/api/v4/activities?query=drop%20test')).body.data).toHaveLength(0);
  });

  it('when latencyMs is set, then answers are delayed', async () => {
    await faults({ latencyMs: 300 });
    const t = Date.now();
    await h.api('/api/v4/users/who_am_i');
    expect(Date.now() - t).toBeGreaterThanOrEqual(280);
  });

  it('when the rate limit is exceeded, then 429 with Retry-After, per token', async () => {
    await faults({ rateLimitPerMinute: 3 });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await h.api('/api/v4/users/who_am_i');
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last!.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(((await last!.json()) as Json).error.type).toBe('RateLimited');
    const stats = (await (await fetch(`${h.base}/_sandbox/stats`)).json()) as Json;
    expect(stats.byStatus['429']).toBe(2);
    expect(stats.byRoute['GET /api/v4/users/who_am_i']).toBe(5);
  });

  it('when another token calls, then it has its own window; the disguised mode answers 200 with a base64 body', async () => {
    await faults({ rateLimitPerMinute: 1 });
    expect((await h.api('/api/v4/users/who_am_i')).status).toBe(200);
    expect((await h.api('/api/v4/users/who_am_i')).status).toBe(429);
    const body = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: 'sandbox-refresh-token',
      client_id: 'sandbox-client',
      client_secret: 'sandbox-secret',
    });
    const other = ((await (await fetch(`${h.base}/oauth/token`, { method: 'POST', body })).json()) as Json)
      .access_token;
    expect(
      (await h.api('/api/v4/users/who_am_i', { headers: { Authorization: `Bearer ${other}` } })).status,
    ).toBe(200);
    await faults({ disguisedRateLimit: true });
    const disguised = await h.api('/api/v4/users/who_am_i');
    expect(disguised.status).toBe(200);
    const json = (await disguised.json()) as Json;
    expect(Buffer.from(json.data, 'base64').toString()).toBe('RateLimited');
  });

  it('when commitThenDropRate is 1, then the write is stored but the connection drops without an answer', async () => {
    await faults({ commitThenDropRate: 1 });
    await expect(h.api('/api/v4/activities', { method: 'POST', json: entry })).rejects.toThrow();
    await faults({ commitThenDropRate: 0 });
    const found = await h.call('/api/v4/activities?query=drop%20test&fields=id,note');
    expect(found.body.data).toHaveLength(1);
    const stats = (await (await fetch(`${h.base}/_sandbox/stats`)).json()) as Json;
    expect(stats.byStatus.dropped).toBe(1);
  });

  it('when reset, then writes are gone and the seed is back', async () => {
    await h.call('/api/v4/activities', { method: 'POST', json: entry });
    // The sandbox runs in this process, so CPU time measures the reset itself, whatever the machine load.
    const cpu = process.cpuUsage();
    await fetch(`${h.base}/_sandbox/reset`, { method: 'POST' });
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(2000);
    expect((await h.call('/api/v4/activities?query=drop%20test')).body.data).toHaveLength(0);
    expect(((await (await fetch(`${h.base}/_sandbox/stats`)).json()) as Json).byStatus).toEqual({ '200': 1 });
  });
});
