import type { Doc } from '../state/record-store';
import type { Prng } from './prng';
import type { SeedBuilder } from './seed-builder';

const TRUST_CLIENTS = 200;

/**
 * Trust deposits for 200 clients (one retainer per client, on one of its matters) and an opening
 * operating balance. Balances are derived from the transactions, so the three-way reconciliation of
 * the seed is exact.
 */
export function seedTrust(b: SeedBuilder, rng: Prng, matters: Doc[], trust: Doc, operating: Doc): void {
  const byClient = new Map<number, Doc[]>();
  for (const m of matters) {
    if (m.status !== 'Open') continue;
    const id = (m.client as { id: number }).id;
    byClient.set(id, [...(byClient.get(id) ?? []), m]);
  }
  const clients = [...byClient.keys()].sort((x, y) => x - y).slice(0, TRUST_CLIENTS);
  let trustBalance = 0;
  clients.forEach((clientId, i) => {
    const matter = rng.pick(byClient.get(clientId) ?? []);
    const amount = rng.int(5, 250) * 10_000;
    trustBalance += amount;
    const day = String(1 + (i % 28)).padStart(2, '0');
    const date = `2026-07-${day}`;
    b.add(
      'bank_transactions',
      {
        type: 'Deposit',
        transaction_type: 'Deposit',
        source: 'Client',
        confirmation: `DEP-${1000 + i}`,
        date,
        amount,
        funds_in: amount,
        funds_out: 0,
        currency: 'USD',
        currency_id: 1,
        exchange_rate: 1,
        description: 'Retainer deposit',
        clio_payments_transaction: false,
        read_only_confirmation: false,
        current_account_balance: trustBalance,
        bank_account_id: trust.id,
        bank_account: { id: trust.id },
        client: { id: clientId },
        matter: { id: matter.id },
      },
      `${date}T15:00:00.000Z`,
    );
  });
  trust.balance = trustBalance;
  trust.bank_transactions_count = clients.length;
  const opening = 25_000_000;
  b.add(
    'bank_transactions',
    {
      type: 'Deposit',
      transaction_type: 'Deposit',
      source: 'Firm',
      confirmation: 'OPEN-1',
      date: '2026-07-01',
      amount: opening,
      funds_in: opening,
      funds_out: 0,
      currency: 'USD',
      currency_id: 1,
      exchange_rate: 1,
      description: 'Opening balance',
      clio_payments_transaction: false,
      read_only_confirmation: false,
      current_account_balance: opening,
      bank_account_id: operating.id,
      bank_account: { id: operating.id },
    },
    '2026-07-01T15:00:00.000Z',
  );
  operating.balance = opening;
  operating.bank_transactions_count = 1;
}
