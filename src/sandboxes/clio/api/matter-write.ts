import { z } from 'zod';
import { forbidden, unprocessable } from '../http/errors';
import type { Doc } from '../state/record-store';
import { clientSummary } from '../seed/seed-matters';
import { USD } from '../seed/seed-firm';
import { dataOf, parseInput, zBool, zDate, zRef } from './input';
import type { ApiContext } from './resource-def';
import { applyCustomFieldValues } from './custom-field-values';
import { buildCustomRate, CustomRateInput } from './matter-custom-rate';
import { applyRelationships, NestedRelationship } from './relationships';

const STATUS = z.enum(['open', 'pending', 'closed']);
const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

const MatterInput = z.object({
  description: z.string().min(1).max(255),
  client: zRef,
  status: STATUS.optional(),
  display_number: z.string().max(255).optional(),
  open_date: zDate.optional(),
  close_date: zDate.optional(),
  pending_date: zDate.optional(),
  billable: zBool.optional(),
  billing_method: z.enum(['flat', 'contingency', 'hourly']).optional(),
  location: z.string().optional(),
  client_reference: z.string().optional(),
  practice_area: zRef.optional(),
  responsible_attorney: zRef.optional(),
  originating_attorney: zRef.optional(),
  custom_field_values: z.array(z.record(z.string(), z.unknown())).optional(),
  relationships: z.array(NestedRelationship).optional(),
  custom_rate: CustomRateInput.optional(),
});

function requireLinks(ctx: ApiContext, input: Partial<z.infer<typeof MatterInput>>): void {
  const { store } = ctx.state;
  if (input.client && !store.get('contacts', input.client.id))
    throw unprocessable('Client could not be found');
  if (input.practice_area && !store.get('practice_areas', input.practice_area.id))
    throw unprocessable('Practice area could not be found');
  for (const key of ['responsible_attorney', 'originating_attorney'] as const) {
    const ref = input[key];
    if (ref && !store.get('users', ref.id)) throw unprocessable(`${key} could not be found`);
  }
}

/** Status changes stamp the matching date, as Clio does when a matter is pended or closed. */
function statusDates(status: string | undefined, today: string, current?: Doc): Record<string, unknown> {
  if (!status || current?.status === capitalise(status)) return {};
  if (status === 'closed') return { close_date: today };
  if (status === 'pending') return { pending_date: today };
  return { close_date: undefined };
}

export function createMatter(ctx: ApiContext, body: unknown): Doc {
  const input = parseInput(MatterInput, dataOf(body));
  requireLinks(ctx, input);
  const { store } = ctx.state;
  const client = store.get('contacts', input.client.id) as Doc;
  const number = store.nextId('matter_numbers');
  const today = new Date().toISOString().slice(0, 10);
  const status = input.status ?? 'open';
  const doc = store.insert('matters', {
    number,
    // Numbering is automatic in the sandbox firm, as in a default Clio account.
    display_number: `${String(number).padStart(5, '0')}-${clientSummary(client)}`,
    description: input.description,
    status: capitalise(status),
    client: { id: client.id },
    client_id: client.id,
    practice_area: input.practice_area,
    responsible_attorney: input.responsible_attorney,
    originating_attorney: input.originating_attorney,
    open_date: input.open_date ?? today,
    ...statusDates(status, today),
    ...(input.close_date ? { close_date: input.close_date } : {}),
    ...(input.pending_date ? { pending_date: input.pending_date } : {}),
    billable: input.billable ?? true,
    billing_method: input.billing_method ?? 'hourly',
    location: input.location ?? '',
    client_reference: input.client_reference ?? '',
    shared: false,
    has_tasks: false,
    currency: USD,
    custom_field_values: [],
    ...(input.custom_rate ? { custom_rate: buildCustomRate(ctx, input.custom_rate) } : {}),
  });
  if (!client.is_client) store.update('contacts', client.id, { is_client: true });
  if (input.relationships) applyRelationships(ctx, doc.id, input.relationships);
  if (!input.custom_field_values?.length) return doc;
  return store.update('matters', doc.id, {
    custom_field_values: applyCustomFieldValues(ctx, 'Matter', [], input.custom_field_values),
  });
}

export function updateMatter(ctx: ApiContext, current: Doc, body: unknown): Doc {
  const input = parseInput(MatterInput.partial(), dataOf(body));
  requireLinks(ctx, input);
  const today = new Date().toISOString().slice(0, 10);
  const patch: Record<string, unknown> = { ...input, ...statusDates(input.status, today, current) };
  if (input.status) patch.status = capitalise(input.status);
  if (input.client) patch.client_id = input.client.id;
  if (input.display_number !== undefined) delete patch.display_number;
  // Relationships live in their own collection; the matter shows them as a computed field.
  delete patch.relationships;
  if (input.custom_rate)
    patch.custom_rate = buildCustomRate(ctx, input.custom_rate, current.custom_rate as Doc | undefined);
  if (input.relationships) applyRelationships(ctx, current.id, input.relationships);
  if (input.custom_field_values)
    patch.custom_field_values = applyCustomFieldValues(
      ctx,
      'Matter',
      current.custom_field_values as Doc[],
      input.custom_field_values,
    );
  for (const k of Object.keys(patch))
    if (patch[k] === undefined && !(k in input) && k !== 'close_date') delete patch[k];
  return ctx.state.store.update('matters', current.id, patch);
}

/** Clio refuses to delete a matter that still has billed work on it. */
export function destroyMatter(ctx: ApiContext, current: Doc): void {
  const { store } = ctx.state;
  const billed = store.list('activities', {
    where: [
      { path: '$.matter.id', op: '=', value: current.id },
      { path: '$.on_bill', op: '=', value: 1 },
    ],
    limit: 1,
  });
  if (billed.length) throw forbidden('A matter with billed activities cannot be deleted');
  for (const a of store.list('activities', { where: [{ path: '$.matter.id', op: '=', value: current.id }] }))
    store.remove('activities', a.id);
  for (const r of store.list('relationships', {
    where: [{ path: '$.matter.id', op: '=', value: current.id }],
  }))
    store.remove('relationships', r.id);
  store.remove('matters', current.id);
}
