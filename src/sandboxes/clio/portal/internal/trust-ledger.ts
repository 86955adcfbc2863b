import type { Doc, RecordStore } from '../../state/record-store';
import { ruleBroken } from './portal-error';

const ref = (v: unknown): number | undefined => (v as { id?: number } | undefined)?.id;

export const today = (nowMs: number): string => new Date(nowMs).toISOString().slice(0, 10);

/** The firm's IOLTA account (its first Trust account) and its default Operating account. */
export function firmAccounts(store: RecordStore): { trust: Doc; operating: Doc } {
  const accounts = store.all('bank_accounts');
  const trust = accounts.find((a) => a.type === 'Trust');
  const operating =
    accounts.find((a) => a.type === 'Operating' && a.default_account === true) ??
    accounts.find((a) => a.type === 'Operating');
  if (!trust || !operating)
    throw ruleBroken('bank_accounts_missing', 'The firm needs a Trust and an Operating bank account');
  return { trust, operating };
}

/**
 * A matter's trust ledger balance in cents: its transactions on trust accounts only (operating
 * deposits for paid bills are the firm's money and must not count as held in trust).
 */
export function matterTrustBalance(store: RecordStore, matterId: number): number {
  const trustIds = new Set(
    store
      .all('bank_accounts')
      .filter((a) => a.type === 'Trust')
      .map((a) => a.id),
  );
  return store
    .list('bank_transactions', { where: [{ path: '$.matter.id', op: '=', value: matterId }] })
    .filter((t) => trustIds.has(Number(t.bank_account_id)))
    .reduce((sum, t) => sum + Number(t.funds_in ?? 0) - Number(t.funds_out ?? 0), 0);
}

export interface Posting {
  account: Doc;
  /** Positive: money in; negative: money out (integer cents). */
  amount: number;
  date: string;
  description: string;
  type: string;
  source: string;
  matterId?: number;
  clientId?: number;
  billId?: number;
  allocationId?: number;
}

/** Books one transaction and moves its account's balance with it. Call inside a transaction. */
export function post(store: RecordStore, p: Posting): Doc {
  const account = store.get('bank_accounts', p.account.id) as Doc;
  const balance = Number(account.balance ?? 0) + p.amount;
  const count = Number(account.bank_transactions_count ?? 0) + 1;
  const tx = store.insert('bank_transactions', {
    type: p.type,
    transaction_type: p.type,
    source: p.source,
    confirmation: `${p.type.slice(0, 3).toUpperCase()}-${store.nextId('portal_confirmations')}`,
    date: p.date,
    amount: Math.abs(p.amount),
    funds_in: p.amount > 0 ? p.amount : 0,
    funds_out: p.amount < 0 ? -p.amount : 0,
    currency: 'USD',
    currency_id: 1,
    exchange_rate: 1,
    description: p.description,
    clio_payments_transaction: false,
    read_only_confirmation: false,
    current_account_balance: balance,
    bank_account_id: account.id,
    bank_account: { id: account.id },
    ...(p.clientId !== undefined ? { client: { id: p.clientId } } : {}),
    ...(p.matterId !== undefined ? { matter: { id: p.matterId } } : {}),
    ...(p.billId !== undefined ? { bill: { id: p.billId } } : {}),
    ...(p.allocationId !== undefined ? { allocation: { id: p.allocationId } } : {}),
  });
  store.update('bank_accounts', account.id, { balance, bank_transactions_count: count });
  return tx;
}

export const clientOf = (matter: Doc): number | undefined => ref(matter.client);
export const refId = ref;
