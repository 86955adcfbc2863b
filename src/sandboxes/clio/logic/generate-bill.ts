import { asText } from '../http/query-value';
import { USD } from '../seed/seed-firm';
import type { Doc, RecordStore } from '../state/record-store';
import { BILL_TRANSITIONS } from './bill-states';
import { hoursOf } from './time-math';

export interface GenerateBillInput {
  matterId: number;
  /** Billing period; activities dated inside it (inclusive) are billed. Omit for all unbilled work. */
  startAt?: string;
  endAt?: string;
  issuedAt: string;
  dueAt: string;
  userId: number;
}

/**
 * Builds a draft MatterBill from a matter's unbilled, billable activities (Clio has no public API for
 * this; the portal's "generate bills" uses it). Returns undefined when there is nothing to bill.
 * Call inside a transaction: the bill, its line items and the activities change together.
 */
export function generateDraftBill(store: RecordStore, input: GenerateBillInput): Doc | undefined {
  const matter = store.get('matters', input.matterId);
  if (!matter) throw new Error(`matter ${input.matterId} not found`);
  const activities = store
    .list('activities', { where: [{ path: '$.matter.id', op: '=', value: matter.id }] })
    .filter((a) => a.on_bill !== true && a.non_billable !== true)
    .filter(
      (a) =>
        (!input.startAt || String(a.date) >= input.startAt) &&
        (!input.endAt || String(a.date) <= input.endAt),
    );
  if (!activities.length) return undefined;
  const services = activities.filter((a) => a.type === 'TimeEntry').reduce((s, a) => s + Number(a.total), 0);
  const expenses = activities.filter((a) => a.type !== 'TimeEntry').reduce((s, a) => s + Number(a.total), 0);
  const total = services + expenses;
  const dates = activities.map((a) => String(a.date)).sort();
  const number = String(store.nextId('bill_numbers'));
  const bill = store.insert('bills', {
    number,
    issued_at: input.issuedAt,
    due_at: input.dueAt,
    start_at: input.startAt ?? dates[0],
    end_at: input.endAt ?? dates[dates.length - 1],
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
    sub_total: total,
    tax_rate: 0,
    secondary_tax_rate: 0,
    tax_sum: 0,
    secondary_tax_sum: 0,
    total_tax: 0,
    services_sub_total: services,
    services_tax: 0,
    services_secondary_tax: 0,
    client: matter.client,
    matters: [{ id: matter.id }],
    user: { id: input.userId },
    currency: USD,
  });
  activities.forEach((a, i) => {
    store.insert('line_items', {
      type: 'ActivityLineItem',
      kind: a.type === 'TimeEntry' ? 'Service' : 'Expense',
      description: asText(a.note),
      note: asText(a.note),
      date: a.date,
      price: a.price,
      quantity: a.type === 'TimeEntry' ? hoursOf(Number(a.rounded_quantity)) : Number(a.quantity),
      total: a.total,
      sub_total: a.total,
      tax: 0,
      secondary_tax: 0,
      taxable: false,
      secondary_taxable: false,
      group_ordering: i + 1,
      bill: { id: bill.id },
      matter: { id: matter.id },
      activity: { id: a.id },
      user: a.user,
    });
    store.update('activities', a.id, { on_bill: true, bill: { id: bill.id } });
  });
  return bill;
}
