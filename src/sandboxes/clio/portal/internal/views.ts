import type { Doc, RecordStore } from '../../state/record-store';
import type { TrustPayment } from './bill-actions';
import { refId } from './trust-ledger';

/**
 * Internal answers speak the service's language: integer cents with a currency, ids as numbers. The
 * stored records (API shape) stay available through /api/v4 and /_sandbox/dump.
 */
export function billView(store: RecordStore, bill: Doc): Record<string, unknown> {
  const items = store.list('line_items', { where: [{ path: '$.bill.id', op: '=', value: bill.id }] });
  return {
    id: bill.id,
    number: bill.number,
    state: bill.state,
    matterIds: ((bill.matters as { id: number }[] | undefined) ?? []).map((m) => m.id),
    clientId: refId(bill.client),
    issuedAt: bill.issued_at,
    dueAt: bill.due_at,
    currency: 'USD',
    subTotalCents: bill.sub_total,
    taxCents: Number(bill.tax_sum ?? 0) + Number(bill.secondary_tax_sum ?? 0),
    totalCents: bill.total,
    paidCents: bill.paid ?? 0,
    balanceCents: bill.balance,
    lineItems: items.map((i) => ({
      id: i.id,
      activityId: refId(i.activity),
      kind: i.kind,
      date: i.date,
      quantity: i.quantity,
      priceCents: i.price,
      subTotalCents: i.sub_total,
      taxCents: Number(i.tax ?? 0) + Number(i.secondary_tax ?? 0),
      totalCents: i.total,
      description: i.description,
    })),
  };
}

export const transactionView = (t: Doc): Record<string, unknown> => ({
  id: t.id,
  bankAccountId: t.bank_account_id,
  type: t.type,
  date: t.date,
  amountCents: Number(t.funds_in ?? 0) - Number(t.funds_out ?? 0),
  currency: 'USD',
  matterId: refId(t.matter),
  clientId: refId(t.client),
  billId: refId(t.bill),
  balanceAfterCents: t.current_account_balance,
});

export function paymentView(store: RecordStore, p: TrustPayment): Record<string, unknown> {
  return {
    bill: billView(store, p.bill),
    payment: { id: p.payment.id, amountCents: p.payment.amount, currency: 'USD', date: p.payment.date },
    allocation: { id: p.allocation.id, amountCents: p.allocation.amount, currency: 'USD', billId: p.bill.id },
    transactions: p.transactions.map(transactionView),
  };
}
