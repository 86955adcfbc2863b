import type { Doc, RecordStore } from '../../state/record-store';
import { badRequest, notFound, ruleBroken } from './portal-error';
import { clientOf, firmAccounts, matterTrustBalance, post, today } from './trust-ledger';

export interface TransferInput {
  fromMatterId: number;
  toMatterId: number;
  amountCents: number;
  description?: string;
  userId: number;
}

/**
 * Moves trust funds between two matters of the same client, inside the trust account (its bank
 * balance does not change; the two matter ledgers do). Never leaves the source below zero, and never
 * crosses to another client's matter. Call inside a transaction.
 */
export function transferTrust(
  store: RecordStore,
  input: TransferInput,
  nowMs: number,
): { transfer: Doc; transactions: Doc[] } {
  if (input.fromMatterId === input.toMatterId) throw badRequest('fromMatterId and toMatterId must differ');
  const from = store.get('matters', input.fromMatterId);
  if (!from) throw notFound('Source matter');
  const to = store.get('matters', input.toMatterId);
  if (!to) throw notFound('Target matter');
  const clientId = clientOf(from);
  if (clientId === undefined || clientId !== clientOf(to))
    throw ruleBroken('different_client', 'Trust funds move only between matters of the same client');
  const balance = matterTrustBalance(store, from.id);
  if (input.amountCents > balance)
    throw ruleBroken(
      'trust_balance_insufficient',
      `The source matter holds ${balance} cents in trust; moving ${input.amountCents} cents would leave it negative`,
    );
  const { trust } = firmAccounts(store);
  const date = today(nowMs);
  const description =
    input.description ?? `Trust transfer ${String(from.display_number)} → ${String(to.display_number)}`;
  const transfer = store.insert('bank_transfers', {
    amount: input.amountCents,
    date,
    description,
    primary_authorizer: { id: input.userId },
    source_bank_account: { id: trust.id },
    destination_bank_account: { id: trust.id },
    from_matter: { id: from.id },
    to_matter: { id: to.id },
    client: { id: clientId },
  });
  const transactions = [
    post(store, {
      account: trust,
      amount: -input.amountCents,
      date,
      description,
      type: 'Transfer',
      source: 'Trust',
      matterId: from.id,
      clientId,
    }),
    post(store, {
      account: trust,
      amount: input.amountCents,
      date,
      description,
      type: 'Transfer',
      source: 'Trust',
      matterId: to.id,
      clientId,
    }),
  ];
  return { transfer, transactions };
}
