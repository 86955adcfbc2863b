import { asText } from '../http/query-value';
import type { Doc, RecordStore } from '../state/record-store';

/**
 * Trust and operating balances held for a matter or a client, derived from the bank transactions
 * (never stored), so every writer of transactions — API, portal, tests — keeps them right.
 * Amounts in cents.
 */
export function accountBalances(store: RecordStore, by: 'matter' | 'client', id: number): Doc[] {
  const sums = new Map<number, number>();
  for (const t of store.list('bank_transactions', { where: [{ path: `$.${by}.id`, op: '=', value: id }] })) {
    const account = Number(t.bank_account_id);
    sums.set(account, (sums.get(account) ?? 0) + Number(t.funds_in ?? 0) - Number(t.funds_out ?? 0));
  }
  return [...sums].map(([accountId, balance]) => {
    const account = store.get('bank_accounts', accountId);
    return {
      id: accountId,
      balance,
      type: asText(account?.type) || 'Trust',
      name: asText(account?.name),
      currency_id: 1,
    };
  });
}
