import { call, dump, expectEnvelope, setFaults, useSandbox, seeded } from './helpers';

const WORKSPACES_ROUTE = 'GET /work/api/v2/customers/{cid}/libraries/{lib}/workspaces';

describe('iManage sandbox: fault controls and stats', () => {
  const s = useSandbox();
  beforeEach(async () => {
    await call(`${s.base}/_sandbox/reset`, undefined, { method: 'POST' });
  });

  it('when faults are set partially, then GET shows the merged settings and bad values are refused', async () => {
    await setFaults(s.base, { latencyMs: 5 });
    const merged = await setFaults(s.base, { errorRate: 0.25 });
    expect(merged.body).toMatchObject({
      latencyMs: 5,
      errorRate: 0.25,
      rateLimitPerMinute: 0,
      commitThenDropRate: 0,
    });
    expect((await call(`${s.base}/_sandbox/faults`, undefined)).body).toEqual(merged.body);
    expectEnvelope(await setFaults(s.base, { errorRate: 2 }), 400);
    expectEnvelope(await setFaults(s.base, { bogus: 1 }), 400);
  });

  it('when errorRate is 1, then every API call answers 503 in the envelope; at 0 they succeed again', async () => {
    await setFaults(s.base, { errorRate: 1 });
    expectEnvelope(await call(`${s.lib}/workspaces?limit=1`, s.token), 503, 'SERVICE_UNAVAILABLE');
    expectEnvelope(await call(`${s.lib}/customs/custom1`, s.token, { json: { id: 'E1' } }), 503);
    expect((await dump(s.base)).custom1.some((c: { id: string }) => c.id === 'E1')).toBe(false);
    await setFaults(s.base, { errorRate: 0 });
    expect((await call(`${s.lib}/workspaces?limit=1`, s.token)).status).toBe(200);
  });

  it('when errorRate is 0.5, then roughly half the calls fail', async () => {
    await setFaults(s.base, { errorRate: 0.5 });
    const statuses = await Promise.all(
      Array.from({ length: 40 }, () => call(`${s.base}/api`, s.token).then((a) => a.status)),
    );
    const failed = statuses.filter((st) => st === 503).length;
    expect(failed).toBeGreaterThan(5);
    expect(failed).toBeLessThan(35);
  });

  it('when latencyMs is set, then answers are delayed by at least that much', async () => {
    await setFaults(s.base, { latencyMs: 300 });
    const t0 = Date.now();
    expect((await call(`${s.lib}/workspaces?limit=1`, s.token)).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('when rateLimitPerMinute is exceeded, then 429 with Retry-After, counted in the stats', async () => {
    await setFaults(s.base, { rateLimitPerMinute: 3 });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await call(`${s.lib}/workspaces?limit=1`, s.token));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429, 429]);
    expectEnvelope(answers[3]!, 429, 'TOO_MANY_REQUESTS');
    expect(Number(answers[3]!.headers.get('retry-after'))).toBeGreaterThan(0);
    const stats = (await call(`${s.base}/_sandbox/stats`, undefined)).body;
    expect(stats.byStatus).toEqual({ '200': 3, '429': 2 });
    expect(stats.byRoute).toEqual({ [WORKSPACES_ROUTE]: 5 });
    await setFaults(s.base, { rateLimitPerMinute: 0 });
    expect((await call(`${s.lib}/workspaces?limit=1`, s.token)).status).toBe(200);
  });

  it('when commitThenDropRate is 1, then the write is stored once and the connection drops without an answer', async () => {
    await setFaults(s.base, { commitThenDropRate: 1 });
    const request = fetch(`${s.lib}/workspaces`, {
      method: 'POST',
      headers: { 'X-Auth-Token': s.token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Dropped but stored', ...seeded(1) }),
    });
    await expect(request).rejects.toThrow();
    // Reads are never dropped, so the client can look for what its lost write did.
    const search = await call(`${s.lib}/workspaces?name=Dropped,stored&total=true`, s.token);
    expect(search.body.total_count).toBe(1);
    await setFaults(s.base, { commitThenDropRate: 0 });
    const d = await dump(s.base);
    expect(d.workspaces.filter((w: { name: string }) => w.name === 'Dropped but stored')).toHaveLength(1);
  });

  it('when a write fails validation under commit-then-drop, then the error is answered normally', async () => {
    await setFaults(s.base, { commitThenDropRate: 1 });
    expectEnvelope(await call(`${s.lib}/workspaces`, s.token, { json: { name: '' } }), 400);
    // A POST search reads, so it is answered too.
    expect((await call(`${s.lib}/documents/search`, s.token, { json: { limit: 1 } })).status).toBe(200);
  });

  it('when stats are read, then routes are keyed by template and reset clears them with the data', async () => {
    await call(`${s.lib}/workspaces/ACTIVE!3`, s.token);
    await call(`${s.lib}/workspaces/ACTIVE!4`, s.token);
    await call(`${s.lib}/workspaces/ACTIVE!999999`, s.token);
    await call(`${s.lib}/customs/custom1`, s.token, { json: { id: 'R1' } });
    const stats = (await call(`${s.base}/_sandbox/stats`, undefined)).body;
    expect(stats.byRoute['GET /work/api/v2/customers/{cid}/libraries/{lib}/workspaces/{wsId}']).toBe(3);
    expect(stats.byRoute['POST /work/api/v2/customers/{cid}/libraries/{lib}/customs/custom1']).toBe(1);
    expect(stats.byStatus).toEqual({ '200': 2, '404': 1, '201': 1 });
    await setFaults(s.base, { errorRate: 1 });
    // The sandbox runs in this process: CPU time measures the reset itself, whatever the machine load.
    const cpu = process.cpuUsage();
    await call(`${s.base}/_sandbox/reset`, undefined, { method: 'POST' });
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(2000);
    expect((await call(`${s.base}/_sandbox/stats`, undefined)).body).toEqual({ byStatus: {}, byRoute: {} });
    expect((await call(`${s.base}/_sandbox/faults`, undefined)).body.errorRate).toBe(0);
    expect((await dump(s.base)).custom1.some((c: { id: string }) => c.id === 'R1')).toBe(false);
    // Tokens survive a reset so a running client is not signed out by the harness.
    expect((await call(`${s.lib}/workspaces?limit=1`, s.token)).status).toBe(200);
  });
});
