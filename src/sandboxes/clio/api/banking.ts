import { z } from 'zod';
import { badRequest, forbidden, unprocessable } from '../http/errors';
import { dataOf, parseInput, zBool, zDate } from './input';
import type { ResourceDef } from './resource-def';
import { metaFor } from './resource-meta';
import { simpleCrud } from './simple-crud';

const accountCrud = simpleCrud({
  collection: 'bank_accounts',
  input: z.object({
    type: z.enum(['Operating', 'Trust']),
    currency: z.string().length(3),
    name: z.string().min(1).max(255).optional(),
    account_number: z.string().optional(),
    default_account: zBool.optional(),
    holder: z.string().optional(),
    institution: z.string().optional(),
    domicile_branch: z.string().optional(),
    swift: z.string().optional(),
    transit_number: z.string().optional(),
    general_ledger_number: z.string().optional(),
  }),
  defaults: (_ctx, input) => ({
    name: `${input.type} Account`,
    balance: 0,
    bank_transactions_count: 0,
    currency_symbol: '$',
    currency_id: 1,
    controlled_account: false,
    clio_payments_enabled: false,
    default_account: false,
  }),
});

export const bankAccountsDef: ResourceDef = {
  meta: metaFor('bank_accounts'),
  path: 'bank_accounts',
  writeRoles: ['admin', 'billing', 'accounts'],
  orders: ['name'],
  filter: (f) => {
    // The filter names the account types as Clio's filter does; the records say Operating or Trust.
    f.equals('type', '$.type', ['OperatingAccount', 'TrustAccount'], (t) => t.replace(/Account$/, ''));
    f.text(['name']);
  },
  create: accountCrud.create,
  update: (ctx, current, body) => {
    const data = dataOf(body);
    if (data.type !== undefined && data.type !== current.type)
      throw unprocessable('The type of a bank account cannot change');
    return accountCrud.update(ctx, current, body);
  },
  destroy: (ctx, current) => {
    // Money records are kept: an account with transactions cannot be deleted.
    if (Number(current.bank_transactions_count) > 0)
      throw forbidden('A bank account with transactions cannot be deleted');
    ctx.state.store.remove('bank_accounts', current.id);
  },
};

/** Read-only in API v4: transactions come from payments, deposits and transfers. */
export const bankTransactionsDef: ResourceDef = {
  meta: metaFor('bank_transactions'),
  path: 'bank_transactions',
  orders: ['date', 'amount'],
  filter: (f, ctx) => {
    f.link('bank_account_id', '$.bank_account_id');
    f.link('client_id', '$.client.id');
    f.link('matter_id', '$.matter.id');
    const type = f.query.type;
    if (type !== undefined) {
      if (type !== 'asset' && type !== 'liability') throw badRequest('Invalid type: asset or liability');
      // Clio's type filter splits asset (operating) from liability (trust) accounts.
      const trust = new Set(
        ctx.state.store
          .list('bank_accounts')
          .filter((a) => a.type === 'Trust')
          .map((a) => a.id),
      );
      f.predicate((t) => trust.has(Number(t.bank_account_id)) === (type === 'liability'));
    }
  },
};

export const trustLineItemsDef: ResourceDef = {
  meta: metaFor('trust_line_items'),
  path: 'trust_line_items',
  writeRoles: ['admin', 'billing', 'accounts'],
  filter: (f) => {
    f.link('bill_id', '$.bill.id');
    f.link('matter_id', '$.matter.id');
    f.link('client_id', '$.client.id');
  },
  update: (ctx, current, body) => {
    const input = parseInput(
      z.object({
        date: zDate.optional(),
        note: z.string().optional(),
        total: z.coerce.number().min(0).optional(),
      }),
      dataOf(body),
    );
    return ctx.state.store.update('trust_line_items', current.id, {
      ...input,
      ...(input.total !== undefined ? { total: Math.round(input.total * 100) } : {}),
    });
  },
};
