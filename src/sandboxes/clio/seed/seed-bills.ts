import { setBillState } from '../logic/bill-effects';
import { generateMatterBill } from '../portal/internal/bill-generation';
import { openDb } from '../state/db';
import { RecordStore, type Doc } from '../state/record-store';
import type { Prng } from './prng';
import type { SeedBuilder } from './seed-builder';

/** When the seeded firm last billed: August's work went out on 1 September; October's drafts are being reviewed. */
const ISSUED = { start: '2026-08-03', end: '2026-08-31', issuedAt: '2026-09-01', dueAt: '2026-10-01' };
const DRAFTS = { start: '2026-10-01', end: '2026-10-30', issuedAt: '2026-11-02', dueAt: '2026-12-02' };
/** The fixed clock of the scratch store, so a seed number always gives the same records. */
const SEED_NOW = new Date('2026-11-02T09:00:00.000Z');
const FIRST_BILL_NUMBER = 1000;

export interface SeededBills {
  lastBillNumber: number;
}

/**
 * Bills in the states a working firm has: August's bills issued and awaiting payment (a few voided), October's
 * drafts waiting for review, some of them at approval; September's work is left unbilled for the next billing
 * run. They are made by the portal's own bill generator, on a scratch copy of the matters and activities, so the
 * totals, line items and billed flags are exactly what generating them in the sandbox would give.
 */
export function seedBills(
  b: SeedBuilder,
  rng: Prng,
  matters: Doc[],
  billingUserId: number,
  roundingMinutes: number,
): SeededBills {
  const billable = matters.filter((m) => m.status !== 'Pending' && m.billable !== false);
  const issued = rng.sample(billable, 120);
  const drafted = rng.sample(
    billable.filter((m) => !issued.includes(m)),
    40,
  );
  const chosen = new Set([...issued, ...drafted].map((m) => m.id));
  const activities = (b.data.activities ?? []).filter((a) => chosen.has((a.matter as { id: number }).id));

  const store = new RecordStore(openDb(':memory:'), () => SEED_NOW);
  store.insertMany(
    'matters',
    matters.filter((m) => chosen.has(m.id)),
  );
  store.insertMany('activities', activities);
  store.bumpSequence('bills', b.id('bills'));
  store.bumpSequence('bill_numbers', FIRST_BILL_NUMBER + 1);
  const bill = (matter: Doc, period: typeof ISSUED): Doc | undefined => {
    const outcome = generateMatterBill(store, matter.id, {
      startAt: period.start,
      endAt: period.end,
      issuedAt: period.issuedAt,
      dueAt: period.dueAt,
      userId: billingUserId,
      roundingMinutes,
      taxRate: 0,
      secondaryTaxRate: 0,
    });
    return 'billId' in outcome ? store.get('bills', outcome.billId) : undefined;
  };
  store.transaction(() => {
    issued.forEach((matter, i) => {
      const draft = bill(matter, ISSUED);
      if (!draft) return;
      const sent = setBillState(store, draft, 'awaiting_payment', ISSUED.issuedAt);
      if (i % 20 === 0) setBillState(store, sent, 'void', ISSUED.dueAt);
    });
    drafted.forEach((matter, i) => {
      const draft = bill(matter, DRAFTS);
      if (draft && i % 4 === 0) setBillState(store, draft, 'awaiting_approval', DRAFTS.issuedAt);
    });
  });

  // Back into the seed: the bills and their line items, and the activities as the bills left them.
  const changed = new Map(store.all('activities').map((a) => [a.id, a]));
  b.data.activities = (b.data.activities ?? []).map((a) => changed.get(a.id) ?? a);
  b.data.bills = store.all('bills');
  b.data.line_items = store.all('line_items');
  b.counters.bills = Math.max(...b.data.bills.map((d) => d.id));
  b.counters.line_items = Math.max(...b.data.line_items.map((d) => d.id));
  store.db.close();
  return { lastBillNumber: Math.max(...b.data.bills.map((d) => Number(d.number))) };
}
