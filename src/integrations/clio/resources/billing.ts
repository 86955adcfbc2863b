import { z } from 'zod';
import { type BankAccount, type BankTransaction, type Bill } from '../../../domain/clio/billing';
import { bool, currency, decimal, id, link, linkId, str, toMoney, und } from './wire';

export const BILL_FIELDS = [
  'id,etag,number,state,kind,issued_at,due_at,sub_total,total,balance,paid,due',
  'available_state_transitions,created_at,updated_at,client{id},matters{id},currency{code}',
].join(',');

export const billSchema = (defaultCurrency: string) =>
  z
    .looseObject({
      id,
      etag: str,
      number: z.union([z.string(), z.number()]).nullish(),
      state: z.string(),
      kind: str,
      issued_at: str,
      due_at: str,
      sub_total: decimal,
      total: decimal,
      balance: decimal,
      paid: decimal,
      due: decimal,
      available_state_transitions: z.array(z.string()).nullish(),
      created_at: str,
      updated_at: str,
      client: link,
      matters: z.array(z.looseObject({ id })).nullish(),
      currency,
    })
    .transform((b): Bill => {
      const cur = b.currency ?? defaultCurrency;
      return {
        id: b.id,
        etag: und(b.etag),
        number: b.number === null || b.number === undefined ? undefined : String(b.number),
        state: b.state,
        kind: und(b.kind),
        issuedAt: und(b.issued_at),
        dueAt: und(b.due_at),
        clientId: linkId(b.client),
        matterIds: (b.matters ?? []).map((m) => m.id),
        subTotal: toMoney(b.sub_total, cur),
        total: toMoney(b.total, cur),
        balance: toMoney(b.balance, cur),
        paid: toMoney(b.paid, cur),
        due: toMoney(b.due, cur),
        availableStateTransitions: b.available_state_transitions ?? [],
        createdAt: und(b.created_at),
        updatedAt: und(b.updated_at),
      };
    });

export const BANK_ACCOUNT_FIELDS = 'id,etag,name,type,currency,balance,default_account';

export const bankAccountSchema = (defaultCurrency: string) =>
  z
    .looseObject({
      id,
      etag: str,
      name: z.string(),
      type: z.string(),
      currency,
      balance: decimal,
      default_account: bool,
    })
    .transform((a): BankAccount => {
      const cur = a.currency ?? defaultCurrency;
      return {
        id: a.id,
        etag: und(a.etag),
        name: a.name,
        type: a.type,
        currency: cur,
        balance: toMoney(a.balance, cur),
        defaultAccount: und(a.default_account),
      };
    });

export const BANK_TRANSACTION_FIELDS = [
  'id,etag,bank_account_id,date,amount,funds_in,funds_out,currency,description,transaction_type,source',
  'created_at,client{id},matter{id},bill{id},bank_account{id}',
].join(',');

export const bankTransactionSchema = (defaultCurrency: string) =>
  z
    .looseObject({
      id,
      etag: str,
      bank_account_id: z.union([z.number(), z.string()]).nullish(),
      date: str,
      amount: decimal,
      funds_in: decimal,
      funds_out: decimal,
      currency,
      description: str,
      transaction_type: str,
      source: str,
      created_at: str,
      client: link,
      matter: link,
      bill: link,
      bank_account: link,
    })
    .transform((t): BankTransaction => {
      const cur = t.currency ?? defaultCurrency;
      // Clio gives funds_in / funds_out; `amount` alone is not signed consistently across versions.
      const signed =
        t.funds_in !== null && t.funds_in !== undefined && Number(t.funds_in) !== 0
          ? toMoney(t.funds_in, cur)
          : t.funds_out !== null && t.funds_out !== undefined && Number(t.funds_out) !== 0
            ? negate(toMoney(t.funds_out, cur))
            : toMoney(t.amount ?? 0, cur);
      return {
        id: t.id,
        etag: und(t.etag),
        bankAccountId:
          linkId(t.bank_account) ??
          (t.bank_account_id === null || t.bank_account_id === undefined
            ? undefined
            : String(t.bank_account_id)),
        date: und(t.date),
        amount: signed ?? { amountCents: 0, currency: cur },
        description: und(t.description),
        transactionType: und(t.transaction_type),
        source: und(t.source),
        clientId: linkId(t.client),
        matterId: linkId(t.matter),
        billId: linkId(t.bill),
        createdAt: und(t.created_at),
      };
    });

function negate(m: ReturnType<typeof toMoney>) {
  return m && { ...m, amountCents: -Math.abs(m.amountCents) };
}
