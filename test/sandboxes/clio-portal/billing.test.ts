import { PortalClient, startPortal, type Json, type PortalHarness } from './portal-harness';
import { idleMatter, trustMatters, unbilledTotal } from './fixtures';

let h: PortalHarness;
let c: PortalClient;

beforeAll(async () => {
  h = await startPortal();
  c = new PortalClient(h.base);
  await c.signIn('admin@sandbox.test', 'totp');
});
afterAll(() => h.close());

async function generate(matterIds: number[], extra: Record<string, unknown> = {}): Promise<Json> {
  const started = await c.json('/internal/bills/generate', { method: 'POST', json: { matterIds, ...extra } });
  expect(started.status).toBe(202);
  expect(started.body.job).toMatchObject({ state: 'queued', progress: 0 });
  for (let i = 0; i < 200; i++) {
    const polled = await c.json(`/internal/jobs/${started.body.job.id}`);
    expect(['queued', 'in_progress', 'completed']).toContain(polled.body.job.state);
    if (polled.body.job.state === 'completed') return polled.body.job;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('job did not finish');
}

describe('internal billing endpoints', () => {
  it('when bills are generated, then drafts carry the unbilled work and idle matters are reported', async () => {
    const { matter } = trustMatters(h.sandbox).find((t) => unbilledTotal(h.sandbox, t.matter.id) > 0)!;
    const idle = idleMatter(h.sandbox);
    const expected = unbilledTotal(h.sandbox, matter.id);
    const job = await generate([matter.id, idle.id]);
    expect(job.progress).toBe(100);
    expect(job.result.skipped).toEqual([{ matterId: idle.id, reason: 'nothing_unbilled' }]);
    expect(job.result.bills).toHaveLength(1);
    const billId = job.result.bills[0].billId;
    const bill = (await c.json(`/internal/bills/${billId}`)).body.bill;
    expect(bill).toMatchObject({
      state: 'draft',
      totalCents: expected,
      balanceCents: expected,
      matterIds: [matter.id],
    });
    expect(bill.lineItems.reduce((s: number, l: Json) => s + l.totalCents, 0)).toBe(expected);
    const activities = h.sandbox.state.store.list('activities', {
      where: [{ path: '$.bill.id', op: '=', value: billId }],
    });
    expect(activities.length).toBe(bill.lineItems.length);
    expect(activities.every((a) => a.on_bill === true && a.billed === false)).toBe(true);
    const again = await generate([matter.id]);
    expect(again.result.skipped).toEqual([{ matterId: matter.id, reason: 'nothing_unbilled' }]);
  });

  it('when trust is applied, then drafts are refused, the amount is capped, and both accounts move', async () => {
    const { matter } = trustMatters(h.sandbox).find((t) => unbilledTotal(h.sandbox, t.matter.id) > 0)!;
    const billId = (await generate([matter.id])).result.bills[0].billId;
    const draft = await c.json(`/internal/bills/${billId}/apply_trust`, { method: 'POST', json: {} });
    expect(draft.status).toBe(422);
    expect(draft.body.error.rule).toBe('bill_not_approved');
    const approved = await c.json(`/internal/bills/${billId}/approve`, { method: 'POST', json: {} });
    expect(approved.body.bill.state).toBe('awaiting_payment');
    const billed = h.sandbox.state.store.list('activities', {
      where: [{ path: '$.bill.id', op: '=', value: billId }],
    });
    expect(billed.every((a) => a.billed === true)).toBe(true);
    const trust = (await c.json(`/internal/matters/${matter.id}/trust`)).body.balanceCents as number;
    const bill = approved.body.bill;
    const tooMuch = await c.json(`/internal/bills/${billId}/apply_trust`, {
      method: 'POST',
      json: { amountCents: trust + 1 },
    });
    expect(tooMuch.status).toBe(422);
    expect(['trust_balance_insufficient', 'exceeds_bill_balance']).toContain(tooMuch.body.error.rule);
    const applied = await c.json(`/internal/bills/${billId}/apply_trust`, { method: 'POST', json: {} });
    expect(applied.status).toBe(201);
    const amount = Math.min(trust, bill.balanceCents);
    expect(applied.body.allocation.amountCents).toBe(amount);
    expect(applied.body.bill.balanceCents).toBe(bill.balanceCents - amount);
    expect(applied.body.bill.state).toBe(amount === bill.balanceCents ? 'paid' : 'awaiting_payment');
    expect(applied.body.transactions.map((t: Json) => t.amountCents)).toEqual([-amount, amount]);
    const after = (await c.json(`/internal/matters/${matter.id}/trust`)).body.balanceCents;
    expect(after).toBe(trust - amount);
    expect(after).toBeGreaterThanOrEqual(0);
    const dump = (await (await fetch(`${h.base}/_sandbox/dump`)).json()) as Json;
    expect(dump.allocations.some((a: Json) => a.bill.id === billId)).toBe(true);
    expect(dump.bank_transactions.filter((t: Json) => t.bill?.id === billId)).toHaveLength(2);
  });

  it('when a trust transfer is asked, then it moves within one client and refuses the rest', async () => {
    const t = trustMatters(h.sandbox).find((x) => x.sibling)!;
    const balance = (await c.json(`/internal/matters/${t.matter.id}/trust`)).body.balanceCents as number;
    const ok = await c.json('/internal/trust_transfers', {
      method: 'POST',
      json: { fromMatterId: t.matter.id, toMatterId: t.sibling!.id, amountCents: 100 },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.balances.from).toBe(balance - 100);
    const other = await c.json('/internal/trust_transfers', {
      method: 'POST',
      json: { fromMatterId: t.matter.id, toMatterId: t.other.id, amountCents: 100 },
    });
    expect(other.status).toBe(422);
    expect(other.body.error.rule).toBe('different_client');
    const over = await c.json('/internal/trust_transfers', {
      method: 'POST',
      json: { fromMatterId: t.matter.id, toMatterId: t.sibling!.id, amountCents: balance },
    });
    expect(over.status).toBe(422);
    expect(over.body.error.rule).toBe('trust_balance_insufficient');
    const bad = await c.json('/internal/trust_transfers', {
      method: 'POST',
      json: { fromMatterId: t.matter.id, amountCents: -5 },
    });
    expect(bad.status).toBe(400);
  });

  it('when the firm requires approval and taxes, then bills pass awaiting_approval and carry tax', async () => {
    await c.json('/internal/settings/billing', {
      method: 'POST',
      json: { requireBillApproval: true, taxRate: 10 },
    });
    const matter = h.sandbox.state.store
      .all('matters')
      .find(
        (m) =>
          unbilledTotal(h.sandbox, m.id) > 0 && !trustMatters(h.sandbox).some((t) => t.matter.id === m.id),
      )!;
    const { store } = h.sandbox.state;
    const first = store
      .list('activities', { where: [{ path: '$.matter.id', op: '=', value: matter.id }] })
      .find((a) => a.on_bill !== true && a.non_billable !== true)!;
    store.update('activities', first.id, { tax_setting: 'tax_1_only' });
    const billId = (await generate([matter.id])).result.bills[0].billId;
    const bill = (await c.json(`/internal/bills/${billId}`)).body.bill;
    const taxed = bill.lineItems.find((l: Json) => l.activityId === first.id);
    expect(taxed.taxCents).toBe(Math.round(taxed.subTotalCents / 10));
    expect(bill.totalCents).toBe(bill.subTotalCents + taxed.taxCents);
    expect(
      (await c.json(`/internal/bills/${billId}/approve`, { method: 'POST', json: {} })).body.bill.state,
    ).toBe('awaiting_approval');
    expect(
      (await c.json(`/internal/bills/${billId}/apply_trust`, { method: 'POST', json: {} })).body.error.rule,
    ).toBe('bill_not_approved');
    expect(
      (await c.json(`/internal/bills/${billId}/approve`, { method: 'POST', json: {} })).body.bill.state,
    ).toBe('awaiting_payment');
    expect((await c.json(`/internal/bills/${billId}/approve`, { method: 'POST', json: {} })).status).toBe(
      422,
    );
  });

  it('when a bill is downloaded, then it is a real PDF', async () => {
    const matter = h.sandbox.state.store.all('matters').find((m) => unbilledTotal(h.sandbox, m.id) > 0)!;
    const billId = (await generate([matter.id])).result.bills[0].billId;
    const res = await c.request(`/internal/bills/${billId}/pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
    expect(bytes.length).toBeGreaterThan(2000);
  });

  it('when there is no session, then internal endpoints answer 401 JSON', async () => {
    const res = await fetch(`${h.base}/internal/bills/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"matterIds":[1]}',
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as Json).error.type).toBe('Unauthorized');
  });
});
