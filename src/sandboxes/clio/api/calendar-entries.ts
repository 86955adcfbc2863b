import { z } from 'zod';
import { unprocessable } from '../http/errors';
import { queryString } from '../http/query-value';
import type { Doc } from '../state/record-store';
import { dataOf, parseInput, zBool, zDate, zId, zRef } from './input';
import { ExternalPropertyInput, hasExternalProperty, mergeExternalProperties } from './nested-items';
import type { ApiContext, ResourceDef } from './resource-def';
import { metaFor } from './resource-meta';
import { checkLinkFields } from './simple-crud';

const zDateTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO-8601 timestamp');
const Attendee = z.object({ id: zId, type: z.enum(['Calendar', 'Contact']), _destroy: zBool.optional() });
const EntryInput = z.object({
  summary: z.string().min(1).max(255),
  start_at: zDateTime,
  end_at: zDateTime,
  calendar_owner: zRef,
  description: z.string().optional(),
  location: z.string().optional(),
  all_day: zBool.optional(),
  recurrence_rule: z.string().optional(),
  matter: zRef.optional(),
  attendees: z.array(Attendee).optional(),
  external_properties: z.array(ExternalPropertyInput).optional(),
  send_email_notification: zBool.optional(),
  date: zDate.optional(),
});
type EntryFields = Partial<z.infer<typeof EntryInput>>;

/** Attendees are stored resolved (name, email), the way Clio answers them. */
function mergeAttendees(
  ctx: ApiContext,
  current: Doc[],
  items: z.infer<typeof Attendee>[] | undefined,
): Doc[] {
  if (!items) return current;
  let out = current.map((a) => ({ ...a }));
  for (const item of items) {
    out = out.filter((a) => !(a.id === item.id && a.type === item.type));
    if (item._destroy) continue;
    const source = ctx.state.store.get(item.type === 'Calendar' ? 'calendars' : 'contacts', item.id);
    if (!source) throw unprocessable(`Attendee ${item.type} ${item.id} could not be found`);
    const email =
      item.type === 'Contact'
        ? source.primary_email_address
        : ctx.state.store.list('users', {
            predicate: (u) => u.default_calendar_id === source.id,
            limit: 1,
          })[0]?.email;
    out.push({
      id: item.id,
      type: item.type,
      name: source.name,
      enabled: true,
      ...(email ? { email } : {}),
    });
  }
  return out;
}

function build(ctx: ApiContext, input: EntryFields, current?: Doc): Record<string, unknown> {
  checkLinkFields(ctx, input, { calendar_owner: 'calendars', matter: 'matters' });
  const start = input.start_at ?? String(current?.start_at);
  const end = input.end_at ?? String(current?.end_at);
  if (Date.parse(end) < Date.parse(start)) throw unprocessable('end_at must not be before start_at');
  const { attendees, external_properties, send_email_notification: _s, date: _d, ...scalars } = input;
  const owner = input.calendar_owner ?? (current?.calendar_owner as { id: number });
  const merged = mergeAttendees(ctx, (current?.attendees as Doc[]) ?? [], attendees);
  return {
    ...scalars,
    ...(input.start_at ? { start_at: new Date(input.start_at).toISOString() } : {}),
    ...(input.end_at ? { end_at: new Date(input.end_at).toISOString() } : {}),
    calendar_owner_id: owner.id,
    attendees: merged,
    calendars: [
      { id: owner.id },
      ...merged.filter((a) => a.type === 'Calendar' && a.id !== owner.id).map((a) => ({ id: a.id })),
    ],
    external_properties: mergeExternalProperties(
      () => ctx.state.store.nextId('external_properties'),
      (current?.external_properties as Doc[]) ?? [],
      external_properties,
    ),
  };
}

export const calendarEntriesDef: ResourceDef = {
  meta: metaFor('calendar_entries'),
  path: 'calendar_entries',
  orders: ['start_at', 'end_at'],
  filter: (f) => {
    f.link('matter_id', '$.matter.id');
    const calendar = f.query.calendar_id;
    if (calendar !== undefined)
      f.predicate((e) => ((e.calendars as Doc[]) ?? []).some((c) => c.id === Number(calendar)));
    // from/to select entries overlapping the window.
    if (f.query.from !== undefined)
      f.where.push({
        path: '$.end_at',
        op: '>=',
        value: new Date(String(queryString(f.query.from))).toISOString(),
      });
    if (f.query.to !== undefined)
      f.where.push({
        path: '$.start_at',
        op: '<=',
        value: new Date(String(queryString(f.query.to))).toISOString(),
      });
    f.bool('is_all_day', '$.all_day');
    const name = queryString(f.query.external_property_name);
    const value = queryString(f.query.external_property_value);
    if (name !== undefined || value !== undefined) f.predicate((e) => hasExternalProperty(e, name, value));
    f.text(['summary', 'description', 'location']);
  },
  create: (ctx, body) => {
    const input = parseInput(EntryInput, dataOf(body));
    return ctx.state.store.insert('calendar_entries', {
      all_day: false,
      court_rule: false,
      permission: 'owner',
      time_entries_count: 0,
      start_at_time_zone: 'UTC',
      ...build(ctx, input),
    });
  },
  update: (ctx, current, body) =>
    ctx.state.store.update(
      'calendar_entries',
      current.id,
      build(ctx, parseInput(EntryInput.partial(), dataOf(body)), current),
    ),
  destroy: (ctx, current) => {
    ctx.state.store.remove('calendar_entries', current.id);
    for (const r of ctx.state.store.list('reminders', {
      where: [{ path: '$.subject.id', op: '=', value: current.id }],
    }))
      ctx.state.store.remove('reminders', r.id);
  },
};
