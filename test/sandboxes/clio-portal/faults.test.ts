import { trustMatters } from './fixtures';
import { PortalClient, setFaults, startPortal, type Json, type PortalHarness } from './portal-harness';

let h: PortalHarness;
let c: PortalClient;

beforeAll(async () => {
  h = await startPortal();
  c = new PortalClient(h.base);
  await c.signIn('admin@sandbox.test', 'totp');
});
afterAll(() => h.close());
afterEach(() => setFaults(h.base, { errorRate: 0, commitThenDropRate: 0, latencyMs: 0 }));

const trustOf = async (matterId: number): Promise<number> =>
  (await c.json(`/internal/matters/${matterId}/trust`)).body.balanceCents as number;

describe('faults and concurrency on the internal endpoints', () => {
  it('when commit-then-drop strikes a transfer, then the write is stored and the answer is lost', async () => {
    const t = trustMatters(h.sandbox).find((x) => x.sibling)!;
    const before = await trustOf(t.matter.id);
    await setFaults(h.base, { commitThenDropRate: 1 });
    await expect(
      c.request('/internal/trust_transfers', {
        method: 'POST',
        json: { fromMatterId: t.matter.id, toMatterId: t.sibling!.id, amountCents: 50 },
      }),
    ).rejects.toThrow();
    await setFaults(h.base, { commitThenDropRate: 0 });
    expect(await trustOf(t.matter.id)).toBe(before - 50);
  });

  it('when the error rate is 1, then internal writes fail with 5xx and change nothing', async () => {
    const t = trustMatters(h.sandbox).find((x) => x.sibling)!;
    const before = await trustOf(t.matter.id);
    await setFaults(h.base, { errorRate: 1 });
    const res = await c.json('/internal/trust_transfers', {
      method: 'POST',
      json: { fromMatterId: t.matter.id, toMatterId: t.sibling!.id, amountCents: 50 },
    });
    expect([500, 503]).toContain(res.status);
    await setFaults(h.base, { errorRate: 0 });
    expect(await trustOf(t.matter.id)).toBe(before);
  });

  it('when latency is injected, then internal answers wait for it', async () => {
    await setFaults(h.base, { latencyMs: 300 });
    const started = Date.now();
    expect((await c.json('/internal/session')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('when many transfers race for one trust balance, then it never goes below zero', async () => {
    const t = trustMatters(h.sandbox).find((x) => x.sibling)!;
    const balance = await trustOf(t.matter.id);
    const share = Math.floor(balance / 4);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        c.json('/internal/trust_transfers', {
          method: 'POST',
          json: { fromMatterId: t.matter.id, toMatterId: t.sibling!.id, amountCents: share },
        }),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(4);
    expect(
      answers
        .filter((a) => a.status === 422)
        .every((a: Json) => a.body.error.rule === 'trust_balance_insufficient'),
    ).toBe(true);
    expect(await trustOf(t.matter.id)).toBe(balance - 4 * share);
  });
});
