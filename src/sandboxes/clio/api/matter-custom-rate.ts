import { z } from 'zod';
import { unprocessable } from '../http/errors';
import type { Doc } from '../state/record-store';
import { zNumber, zRef } from './input';
import type { ApiContext } from './resource-def';

export const CustomRateInput = z.object({
  type: z.enum(['HourlyRate', 'FlatRate', 'ContingencyFee']),
  rates: z
    .array(z.object({ user: zRef.optional(), activity_description: zRef.optional(), rate: zNumber.min(0) }))
    .optional(),
});

/**
 * A matter's custom rates (the second level of Clio's rate hierarchy), rates stored in cents.
 * Changing the type drops the rates already stored, as Clio documents.
 */
export function buildCustomRate(ctx: ApiContext, input: z.infer<typeof CustomRateInput>, current?: Doc): Doc {
  const stamp = new Date().toISOString();
  const keep = current && current.type === input.type ? ((current.rates as Doc[] | undefined) ?? []) : [];
  const rates = [...keep];
  for (const r of input.rates ?? []) {
    if (r.user && !ctx.state.store.get('users', r.user.id))
      throw unprocessable(`User ${r.user.id} could not be found`);
    if (r.activity_description && !ctx.state.store.get('activity_descriptions', r.activity_description.id))
      throw unprocessable(`Activity description ${r.activity_description.id} could not be found`);
    const index = rates.findIndex(
      (x) =>
        (x.user as Doc | undefined)?.id === r.user?.id &&
        (x.activity_description as Doc | undefined)?.id === r.activity_description?.id,
    );
    const entry = {
      id: index >= 0 ? (rates[index] as Doc).id : ctx.state.store.nextId('custom_rates'),
      rate: Math.round(r.rate * 100),
      ...(r.user ? { user: r.user } : {}),
      ...(r.activity_description ? { activity_description: r.activity_description } : {}),
      created_at: stamp,
      updated_at: stamp,
    } as Doc;
    if (index >= 0) rates[index] = entry;
    else rates.push(entry);
  }
  return { type: input.type, on_invoice: false, rates } as unknown as Doc;
}

/** Answers carry rates in dollars. */
export function customRateInUnits(out: Record<string, unknown>): void {
  const custom = out.custom_rate as { rates?: Doc[] } | undefined;
  if (custom?.rates)
    out.custom_rate = { ...custom, rates: custom.rates.map((r) => ({ ...r, rate: Number(r.rate) / 100 })) };
}
