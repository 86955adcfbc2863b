import { asText } from '../http/query-value';
import { z } from 'zod';
import { unprocessable } from '../http/errors';
import type { Doc } from '../state/record-store';
import { dataOf, parseInput, zId } from './input';
import type { ApiContext, ResourceDef } from './resource-def';
import { metaFor } from './resource-meta';

const UNIT_MINUTES = { minutes: 1, hours: 60, days: 1440, weeks: 10080 } as const;
const ReminderInput = z.object({
  subject: z.object({ id: zId, type: z.enum(['CalendarEntry', 'Task']) }),
  notification_method: z.object({ id: zId }),
  duration_value: z.coerce.number().int().min(0),
  duration_unit: z.enum(['minutes', 'hours', 'days', 'weeks']),
});

/** next_delivery_at: the subject's start (entry) or due date (task) minus the duration. */
function schedule(
  ctx: ApiContext,
  subject: { id: number; type: string },
  minutes: number,
): Record<string, unknown> {
  const target = ctx.state.store.get(subject.type === 'Task' ? 'tasks' : 'calendar_entries', subject.id);
  if (!target) throw unprocessable(`${subject.type} ${subject.id} could not be found`);
  const anchor =
    subject.type === 'Task'
      ? target.due_at
        ? `${asText(target.due_at)}T09:00:00Z`
        : undefined
      : String(target.start_at);
  const at = anchor ? Date.parse(anchor) - minutes * 60_000 : undefined;
  return {
    duration: minutes,
    state: at === undefined ? 'initializing' : 'scheduled',
    ...(at !== undefined ? { next_delivery_at: new Date(at).toISOString() } : {}),
  };
}

export const remindersDef: ResourceDef = {
  meta: metaFor('reminders'),
  path: 'reminders',
  filter: (f) => {
    f.link('subject_id', '$.subject.id');
    f.equals('subject_type', '$.subject.type', ['CalendarEntry', 'Task']);
  },
  create: (ctx, body) => {
    const input = parseInput(ReminderInput, dataOf(body));
    const minutes = input.duration_value * UNIT_MINUTES[input.duration_unit];
    const method = ctx.state.store.get('users', ctx.userId);
    return ctx.state.store.insert('reminders', {
      subject: input.subject,
      notification_method: { id: input.notification_method.id, type: 'Email', email_address: method?.email },
      ...schedule(ctx, input.subject, minutes),
    });
  },
  update: (ctx, current, body) => {
    const input = parseInput(ReminderInput.partial(), dataOf(body));
    const subject = input.subject ?? (current.subject as { id: number; type: string });
    const minutes =
      input.duration_value !== undefined
        ? input.duration_value * UNIT_MINUTES[input.duration_unit ?? 'minutes']
        : Number(current.duration);
    const patch: Record<string, unknown> = { subject, ...schedule(ctx, subject, minutes) };
    if (input.notification_method)
      patch.notification_method = {
        ...(current.notification_method as Doc),
        id: input.notification_method.id,
      };
    return ctx.state.store.update('reminders', current.id, patch);
  },
  destroy: (ctx, current) => {
    ctx.state.store.remove('reminders', current.id);
  },
};
