import { z } from 'zod';
import { USD } from '../seed/seed-firm';
import { zBool, zNumber } from './input';
import type { ResourceDef } from './resource-def';
import { metaFor } from './resource-meta';
import { simpleCrud } from './simple-crud';

/** Expense categories: a name and a default unit rate (cents) that expense entries can use. */
const crud = simpleCrud({
  collection: 'expense_categories',
  input: z.object({
    name: z.string().min(1).max(255),
    rate: zNumber.min(0).optional(),
    entry_type: z.enum(['hard_cost', 'soft_cost']).optional(),
    accessible_to_user: zBool.optional(),
    tax_setting: z.enum(['no_tax', 'tax_1_only', 'tax_2_only', 'tax_1_and_tax_2']).optional(),
  }),
  defaults: () => ({
    entry_type: 'hard_cost',
    accessible_to_user: true,
    tax_setting: 'no_tax',
    currency: USD,
    rate: 0,
  }),
});

export const expenseCategoriesDef: ResourceDef = {
  meta: metaFor('expense_categories'),
  path: 'expense_categories',
  orders: ['name'],
  filter: (f) => {
    f.equals('entry_type', '$.entry_type', ['hard_cost', 'soft_cost']);
    f.text(['name']);
  },
  create: (ctx, body) => {
    const doc = crud.create(ctx, body);
    return ctx.state.store.update('expense_categories', doc.id, { rate: Math.round(Number(doc.rate) * 100) });
  },
  update: (ctx, current, body) => {
    const doc = crud.update(ctx, current, body);
    return doc.rate === current.rate
      ? doc
      : ctx.state.store.update('expense_categories', doc.id, { rate: Math.round(Number(doc.rate) * 100) });
  },
  destroy: crud.destroy,
};
