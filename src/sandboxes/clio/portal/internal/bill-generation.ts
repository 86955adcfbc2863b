import { BILL_TRANSITIONS } from '../../logic/bill-states';
import { hoursOf, roundSeconds, timeTotalCents } from '../../logic/time-math';
import { USD } from '../../seed/seed-firm';
import type { Doc, RecordStore } from '../../state/record-store';

export interface GenerateBillOptions {
  /** Billing period (inclusive); omit for all unbilled work. */
  startAt?: string;
  endAt?: string;
  issuedAt: string;
  dueAt: string;
  userId: number;
  roundingMinutes: number;
  /** Percent rates; a line is taxed per its activity's tax_setting (tax_1_only, tax_2_only, tax_1_and_tax_2). */
  taxRate: number;
  secondaryTaxRate: number;
}

export type GenerateOutcome =
  | { billId: number; totalCents: number; lineCount: number }
  | { skipped: 'nothing_unbilled' | 'matter_not_found' };

const noteOf = (a: Doc): string => (typeof a.note === 'string' ? a.note : '');
const pct = (cents: number, rate: number): number => Math.round((cents * rate) / 100);

/** The line a generated bill shows for one activity; rounding is applied here, once, at generation. */
function lineFor(
  a: Doc,
  o: GenerateBillOptions,
): { quantity: number; price: number; subTotal: number; taxable: boolean; secondary: boolean } {
  const setting = typeof a.tax_setting === 'string' ? a.tax_setting : 'no_tax';
  const taxable = setting === 'tax_1_only' || setting === 'tax_1_and_tax_2';
  const secondary = setting === 'tax_2_only' || setting === 'tax_1_and_tax_2';
  if (a.type === 'TimeEntry') {
    const rounded = roundSeconds(Number(a.quantity), o.roundingMinutes);
    const subTotal = a.no_charge === true ? 0 : timeTotalCents(rounded, Number(a.price));
    return { quantity: hoursOf(rounded), price: Number(a.price), subTotal, taxable, secondary };
  }
  return {
    quantity: Number(a.quantity),
    price: Number(a.price),
    subTotal: a.no_charge === true ? 0 : Number(a.total),
    taxable,
    secondary,
  };
}

/**
 * A draft MatterBill from the matter's unbilled billable activities, with line items, taxes and
 * integer-cent totals; the activities become on_bill and point at it. Call inside a transaction.
 */
export function generateMatterBill(
  store: RecordStore,
  matterId: number,
  o: GenerateBillOptions,
): GenerateOutcome {
  const matter = store.get('matters', matterId);
  if (!matter) return { skipped: 'matter_not_found' };
  const activities = store
    .list('activities', { where: [{ path: '$.matter.id', op: '=', value: matterId }] })
    .filter((a) => a.on_bill !== true && a.billed !== true && a.non_billable !== true)
    .filter((a) => (!o.startAt || String(a.date) >= o.startAt) && (!o.endAt || String(a.date) <= o.endAt))
    .sort((x, y) => String(x.date).localeCompare(String(y.date)) || x.id - y.id);
  if (!activities.length) return { skipped: 'nothing_unbilled' };
  const lines = activities.map((a) => ({ a, ...lineFor(a, o) }));
  const sum = (pick: (l: (typeof lines)[number]) => number, kind?: 'Service' | 'Expense'): number =>
    lines
      .filter((l) => !kind || (l.a.type === 'TimeEntry') === (kind === 'Service'))
      .reduce((s, l) => s + pick(l), 0);
  const tax = (l: (typeof lines)[number]): number => (l.taxable ? pct(l.subTotal, o.taxRate) : 0);
  const tax2 = (l: (typeof lines)[number]): number => (l.secondary ? pct(l.subTotal, o.secondaryTaxRate) : 0);
  const subTotal = sum((l) => l.subTotal);
  const taxSum = sum(tax);
  const tax2Sum = sum(tax2);
  const total = subTotal + taxSum + tax2Sum;
  const dates = activities.map((a) => String(a.date));
  const bill = store.insert('bills', {
    number: String(store.nextId('bill_numbers')),
    issued_at: o.issuedAt,
    due_at: o.dueAt,
    start_at: o.startAt ?? dates[0],
    end_at: o.endAt ?? dates[dates.length - 1],
    subject: `Services for ${String(matter.display_number)}`,
    memo: '',
    purchase_order: '',
    type: 'MatterBill',
    kind: 'revenue_kind',
    state: 'draft',
    available_state_transitions: BILL_TRANSITIONS.draft,
    can_update: true,
    shared: false,
    total,
    balance: total,
    due: total,
    paid: 0,
    pending: 0,
    credits_issued: 0,
    sub_total: subTotal,
    tax_rate: o.taxRate,
    secondary_tax_rate: o.secondaryTaxRate,
    tax_sum: taxSum,
    secondary_tax_sum: tax2Sum,
    total_tax: taxSum + tax2Sum,
    services_sub_total: sum((l) => l.subTotal, 'Service'),
    services_tax: sum(tax, 'Service'),
    services_secondary_tax: sum(tax2, 'Service'),
    services_total: sum((l) => l.subTotal + tax(l) + tax2(l), 'Service'),
    expenses_sub_total: sum((l) => l.subTotal, 'Expense'),
    expenses_tax: sum(tax, 'Expense'),
    expenses_secondary_tax: sum(tax2, 'Expense'),
    expenses_total: sum((l) => l.subTotal + tax(l) + tax2(l), 'Expense'),
    client: matter.client,
    matters: [{ id: matter.id }],
    user: { id: o.userId },
    currency: USD,
  });
  lines.forEach((l, i) => {
    store.insert('line_items', {
      type: l.a.no_charge === true ? 'NoChargeLineItem' : 'ActivityLineItem',
      kind: l.a.type === 'TimeEntry' ? 'Service' : 'Expense',
      description: noteOf(l.a),
      note: noteOf(l.a),
      date: l.a.date,
      price: l.price,
      quantity: l.quantity,
      sub_total: l.subTotal,
      tax: tax(l),
      secondary_tax: tax2(l),
      total: l.subTotal + tax(l) + tax2(l),
      taxable: l.taxable,
      secondary_taxable: l.secondary,
      group_ordering: i + 1,
      bill: { id: bill.id },
      matter: { id: matter.id },
      activity: { id: l.a.id },
      user: l.a.user,
    });
    store.update('activities', l.a.id, { on_bill: true, bill: { id: bill.id } });
  });
  return { billId: bill.id, totalCents: total, lineCount: lines.length };
}
