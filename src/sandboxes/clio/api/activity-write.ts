import { z } from 'zod';
import { quantityInHours } from '../http/api-version';
import { forbidden, unprocessable } from '../http/errors';
import { timeEntryFigures } from '../logic/time-math';
import { USD } from '../seed/seed-firm';
import type { Doc } from '../state/record-store';
import { hourlyRateCents } from './activity-pricing';
import { resolveActivityDescription } from './activity-descriptions';
import { dataOf, parseInput, zBool, zDate, zId, zNumber, zRef } from './input';
import type { ApiContext } from './resource-def';

const ActivityInput = z.object({
  type: z.enum(['TimeEntry', 'ExpenseEntry', 'HardCostEntry', 'SoftCostEntry']),
  date: zDate,
  quantity: zNumber.min(0).optional(),
  price: zNumber.min(0).optional(),
  note: z.string().max(10_000).optional(),
  matter: zRef.optional(),
  user: zRef.optional(),
  activity_description: z
    .object({ id: zId.optional(), utbms_task_id: zId.optional(), utbms_activity_id: zId.optional() })
    .optional(),
  non_billable: zBool.optional(),
  no_charge: zBool.optional(),
  tax_setting: z.enum(['no_tax', 'tax_1_only', 'tax_2_only', 'tax_1_and_tax_2']).optional(),
  reference: z.string().optional(),
  vendor: zRef.optional(),
  task: zRef.optional(),
  calendar_entry: zRef.optional(),
  communication: zRef.optional(),
  expense_category: zRef.optional(),
});
type Input = z.infer<typeof ActivityInput>;

function checkLinks(ctx: ApiContext, input: Partial<Input>): void {
  const { store } = ctx.state;
  const refs: [keyof Input, string, string][] = [
    ['matter', 'matters', 'Matter'],
    ['user', 'users', 'User'],
    ['vendor', 'contacts', 'Vendor'],
    ['task', 'tasks', 'Task'],
    ['calendar_entry', 'calendar_entries', 'Calendar entry'],
    ['expense_category', 'expense_categories', 'Expense category'],
    ['communication', 'communications', 'Communication'],
  ];
  for (const [key, collection, label] of refs) {
    const ref = input[key] as { id: number } | undefined;
    if (ref && !store.get(collection, ref.id)) throw unprocessable(`${label} ${ref.id} could not be found`);
  }
}

/** Quantity and money figures, recomputed from the firm's rounding and the rate hierarchy. */
function figures(
  ctx: ApiContext,
  merged: Record<string, unknown>,
  explicitPrice: number | undefined,
): Record<string, unknown> {
  const type = String(merged.type);
  const quantity = Number(merged.quantity ?? 0);
  const nonBillable = merged.non_billable === true;
  if (type === 'TimeEntry') {
    const userId = (merged.user as { id: number }).id;
    const matterId = (merged.matter as { id: number } | undefined)?.id;
    const descId = (merged.activity_description as { id: number } | undefined)?.id;
    const price = explicitPrice ?? hourlyRateCents(ctx.state.store, userId, matterId, descId);
    return timeEntryFigures(quantity, price, ctx.state.settings().time_rounding_minutes, nonBillable);
  }
  // Expenses: price is the unit amount and quantity the number of units (1 by default).
  const units = merged.quantity === undefined ? 1 : quantity;
  // An expense without a price takes its category's default rate.
  const category = merged.expense_category as { id: number } | undefined;
  const categoryRate = category ? ctx.state.store.get('expense_categories', category.id)?.rate : undefined;
  const price =
    explicitPrice ?? (typeof categoryRate === 'number' ? categoryRate : Number(merged.price ?? 0));
  const total = Math.round(price * units);
  return {
    quantity: units,
    price,
    total: nonBillable ? 0 : total,
    non_billable_total: nonBillable ? total : 0,
  };
}

/** Seconds from the request: before 4.0.4 quantities are hours. */
const secondsOf = (ctx: ApiContext, type: string, quantity: number | undefined): number | undefined =>
  quantity === undefined
    ? undefined
    : type === 'TimeEntry' && quantityInHours(ctx.version)
      ? Math.round(quantity * 3600)
      : type === 'TimeEntry'
        ? Math.round(quantity)
        : quantity;

export function createActivity(ctx: ApiContext, body: unknown): Doc {
  const input = parseInput(ActivityInput, dataOf(body));
  checkLinks(ctx, input);
  const user = input.user ?? { id: ctx.userId };
  if (!ctx.state.store.get('users', user.id)) throw unprocessable(`User ${user.id} could not be found`);
  const description = input.activity_description
    ? resolveActivityDescription(ctx, input.activity_description)
    : undefined;
  const merged: Record<string, unknown> = {
    type: input.type,
    date: input.date,
    note: input.note ?? '',
    matter: input.matter,
    user,
    quantity: secondsOf(ctx, input.type, input.quantity),
    activity_description: description ? { id: description.id } : undefined,
    expense_category: input.expense_category,
    non_billable: input.non_billable ?? false,
    no_charge: input.no_charge ?? false,
  };
  const price = input.price === undefined ? undefined : Math.round(input.price * 100);
  return ctx.state.store.insert('activities', {
    ...merged,
    ...figures(ctx, merged, price),
    flat_rate: false,
    billed: false,
    on_bill: false,
    contingency_fee: false,
    quantity_redacted: false,
    tax_setting: input.tax_setting ?? 'no_tax',
    currency: USD,
    ...(input.reference ? { reference: input.reference } : {}),
    ...(input.vendor ? { vendor: input.vendor } : {}),
    ...(input.task ? { task: input.task } : {}),
    ...(input.calendar_entry ? { calendar_entry: input.calendar_entry } : {}),
    ...(input.communication ? { communication: input.communication } : {}),
    ...(input.expense_category ? { expense_category: input.expense_category } : {}),
  });
}

/** Entries on an issued bill are frozen until the bill is voided or deleted (Clio's rule). */
function assertEditable(current: Doc): void {
  if (current.billed === true)
    throw unprocessable('This activity has been billed and can no longer be changed');
}

export function updateActivity(ctx: ApiContext, current: Doc, body: unknown): Doc {
  const input = parseInput(ActivityInput.partial(), dataOf(body));
  assertEditable(current);
  checkLinks(ctx, input);
  if (input.non_billable !== undefined && current.on_bill === true)
    throw unprocessable('non_billable can only be set on unbilled entries');
  const type = input.type ?? String(current.type);
  const description = input.activity_description
    ? resolveActivityDescription(ctx, input.activity_description)
    : undefined;
  const patch: Record<string, unknown> = {
    ...input,
    activity_description: description ? { id: description.id } : current.activity_description,
  };
  if (input.quantity !== undefined) patch.quantity = secondsOf(ctx, type, input.quantity);
  delete patch.price;
  const merged = { ...current, ...patch };
  // A changed description, matter or user reprices the entry unless a price is sent.
  const repriced =
    input.activity_description !== undefined || input.matter !== undefined || input.user !== undefined;
  const price =
    input.price !== undefined ? Math.round(input.price * 100) : repriced ? undefined : Number(current.price);
  return ctx.state.store.update('activities', current.id, { ...patch, ...figures(ctx, merged, price) });
}

export function destroyActivity(ctx: ApiContext, current: Doc): void {
  if (current.on_bill === true) throw forbidden('This activity is on a bill and cannot be deleted');
  ctx.state.store.remove('activities', current.id);
}
