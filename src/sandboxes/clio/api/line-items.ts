import { z } from 'zod';
import { unprocessable } from '../http/errors';
import { hoursOf } from '../logic/time-math';
import type { Doc } from '../state/record-store';
import { dataOf, parseInput, zBool, zDate, zNumber } from './input';
import type { ApiContext, ResourceDef } from './resource-def';
import { metaFor } from './resource-meta';

const LineItemPatch = z.object({
  description: z.string().optional(),
  note: z.string().optional(),
  date: zDate.optional(),
  price: zNumber.min(0).optional(),
  quantity: zNumber.min(0).optional(),
  taxable: zBool.optional(),
  secondary_taxable: zBool.optional(),
  group_ordering: z.coerce.number().int().optional(),
  kind: z.enum(['Service', 'Expense', 'Product']).optional(),
  update_original_record: zBool.optional(),
});

/** Line items change only while their bill is a draft; the bill's totals follow. */
function editableBill(ctx: ApiContext, item: Doc): Doc {
  const bill = ctx.state.store.get('bills', (item.bill as { id: number }).id);
  if (!bill || !['draft', 'awaiting_approval'].includes(String(bill.state)))
    throw unprocessable('Line items can only change on a draft bill');
  return bill;
}

function retotal(ctx: ApiContext, bill: Doc): void {
  const { store } = ctx.state;
  const items = store.list('line_items', { where: [{ path: '$.bill.id', op: '=', value: bill.id }] });
  const total = items.reduce((s, i) => s + Number(i.total), 0);
  const services = items.filter((i) => i.kind === 'Service').reduce((s, i) => s + Number(i.total), 0);
  store.update('bills', bill.id, {
    total,
    sub_total: total,
    balance: total,
    due: total,
    services_sub_total: services,
  });
}

export const lineItemsDef: ResourceDef = {
  meta: metaFor('line_items'),
  path: 'line_items',
  writeRoles: ['admin', 'billing', 'accounts'],
  filter: (f) => {
    f.link('bill_id', '$.bill.id');
    f.link('matter_id', '$.matter.id');
    f.link('activity_id', '$.activity.id');
    f.equals('kind', '$.kind', ['Service', 'Expense', 'Product']);
    f.text(['description', 'note']);
  },
  update: (ctx, current, body) => {
    const input = parseInput(LineItemPatch, dataOf(body));
    const bill = editableBill(ctx, current);
    const { update_original_record, price, ...rest } = input;
    const priceCents = price === undefined ? Number(current.price) : Math.round(price * 100);
    const quantity = input.quantity ?? Number(current.quantity);
    const total = Math.round(priceCents * quantity);
    const doc = ctx.state.store.update('line_items', current.id, {
      ...rest,
      price: priceCents,
      quantity,
      total,
      sub_total: total,
    });
    const activityId = (current.activity as { id: number } | undefined)?.id;
    if (update_original_record && activityId !== undefined) {
      // Editing a draft's line flows back to the source entry, as in Clio.
      const seconds = Math.round(quantity * 3600);
      ctx.state.store.update('activities', activityId, {
        ...(input.note !== undefined ? { note: input.note } : {}),
        ...(input.date ? { date: input.date } : {}),
        price: priceCents,
        quantity: seconds,
        rounded_quantity: seconds,
        quantity_in_hours: hoursOf(seconds),
        rounded_quantity_in_hours: hoursOf(seconds),
        total,
      });
    }
    retotal(ctx, bill);
    return doc;
  },
  destroy: (ctx, current) => {
    const bill = editableBill(ctx, current);
    const activityId = (current.activity as { id: number } | undefined)?.id;
    ctx.state.store.remove('line_items', current.id);
    if (activityId !== undefined)
      ctx.state.store.update('activities', activityId, { on_bill: false, billed: false, bill: undefined });
    retotal(ctx, bill);
  },
};
