import { setBillState } from '../../logic/bill-effects';
import type { BillState } from '../../logic/bill-states';
import type { Doc, RecordStore } from '../../state/record-store';
import { notFound, ruleBroken } from './portal-error';
import { firmAccounts, matterTrustBalance, post, refId, today } from './trust-ledger';

/**
 * Approval as Clio does it: draft → awaiting_payment, or draft → awaiting_approval → awaiting_payment
 * when the firm requires approval. Issuing marks the bill's activities billed. Call inside a transaction.
 */
export function approveBill(
  store: RecordStore,
  billId: number,
  requireApproval: boolean,
  nowMs: number,
): Doc {
  const bill = store.get('bills', billId);
  if (!bill) throw notFound('Bill');
  const from = bill.state as BillState;
  if (from === 'draft')
    return setBillState(
      store,
      bill,
      requireApproval ? 'awaiting_approval' : 'awaiting_payment',
      today(nowMs),
    );
  if (from === 'awaiting_approval') return setBillState(store, bill, 'awaiting_payment', today(nowMs));
  throw ruleBroken(
    'bill_not_approvable',
    `A bill in state ${from} cannot be approved; only draft and awaiting_approval bills can`,
  );
}

export interface TrustPayment {
  bill: Doc;
  payment: Doc;
  allocation: Doc;
  transactions: Doc[];
}

/**
 * "Apply trust": pays an issued bill from its matter's trust funds. Never on a draft or a bill still
 * awaiting approval, and never more than min(matter trust balance, bill balance), so no client ledger
 * goes negative. Books the trust withdrawal, the operating deposit, the payment and its allocation
 * together. Call inside a transaction.
 */
export function applyTrust(
  store: RecordStore,
  billId: number,
  amountCents: number | undefined,
  userId: number,
  nowMs: number,
): TrustPayment {
  const bill = store.get('bills', billId);
  if (!bill) throw notFound('Bill');
  if (bill.state === 'draft' || bill.state === 'awaiting_approval')
    throw ruleBroken(
      'bill_not_approved',
      `Trust cannot be applied to a bill in state ${String(bill.state)}: approve it first`,
    );
  if (bill.state !== 'awaiting_payment')
    throw ruleBroken('bill_not_payable', `A bill in state ${String(bill.state)} takes no payment`);
  const matterId = refId((bill.matters as { id: number }[] | undefined)?.[0]);
  if (matterId === undefined)
    throw ruleBroken('bill_without_matter', 'The bill has no matter, so it has no trust ledger');
  const trustBalance = matterTrustBalance(store, matterId);
  const billBalance = Number(bill.balance);
  const amount = amountCents ?? Math.min(trustBalance, billBalance);
  if (amount <= 0 || amount > trustBalance)
    throw ruleBroken(
      'trust_balance_insufficient',
      `The matter holds ${trustBalance} cents in trust; ${amount} cents cannot be applied without a negative trust balance`,
    );
  if (amount > billBalance)
    throw ruleBroken(
      'exceeds_bill_balance',
      `The bill's balance is ${billBalance} cents; ${amount} cents is more than is owed`,
    );
  const clientId = refId(bill.client);
  const { trust, operating } = firmAccounts(store);
  const date = today(nowMs);
  const payment = store.insert('payments', {
    amount,
    date,
    description: `Trust payment for bill ${String(bill.number)}`,
    reference: `TRUST-${String(bill.number)}`,
    source_fund_type: 'Matter',
    contact: clientId !== undefined ? { id: clientId } : undefined,
    user: { id: userId },
    source_bank_account: { id: trust.id },
    destination_bank_account: { id: operating.id },
  });
  const allocation = store.insert('allocations', {
    date,
    amount,
    interest: false,
    description: `Payment from trust to bill ${String(bill.number)}`,
    has_online_payment: false,
    destroyable: true,
    payment_type: 'Trust',
    bill: { id: bill.id },
    matter: { id: matterId },
    ...(clientId !== undefined ? { contact: { id: clientId } } : {}),
    parent: { id: payment.id, type: 'Payment' },
    source_bank_account: { id: trust.id },
    destination_bank_account: { id: operating.id },
  });
  store.update('payments', payment.id, { allocations: [{ id: allocation.id }] });
  const common = {
    date,
    clientId,
    billId: bill.id,
    allocationId: allocation.id,
    description: `Payment of bill ${String(bill.number)}`,
  };
  // The operating deposit carries no matter link: it is the firm's money, not the matter's trust ledger.
  const transactions = [
    post(store, {
      ...common,
      account: trust,
      amount: -amount,
      type: 'Withdrawal',
      source: 'Trust',
      matterId,
    }),
    post(store, { ...common, account: operating, amount, type: 'Deposit', source: 'Trust' }),
  ];
  const left = billBalance - amount;
  let updated = store.update('bills', bill.id, {
    paid: Number(bill.paid ?? 0) + amount,
    balance: left,
    due: left,
  });
  if (left === 0) updated = setBillState(store, updated, 'paid', date);
  return { bill: updated, payment: store.get('payments', payment.id) as Doc, allocation, transactions };
}
