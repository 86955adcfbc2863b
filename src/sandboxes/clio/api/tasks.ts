import { z } from 'zod';
import { badRequest, unprocessable } from '../http/errors';
import { queryString } from '../http/query-value';
import type { Doc } from '../state/record-store';
import { dataOf, parseInput, zBool, zDate, zId, zRef } from './input';
import type { ApiContext, ResourceDef } from './resource-def';
import { metaFor } from './resource-meta';
import { checkLinkFields } from './simple-crud';

const STATUSES = ['pending', 'in_progress', 'in_review', 'complete'] as const;
const TaskInput = z.object({
  name: z.string().min(1).max(255),
  description: z.string(),
  assignee: z.object({ id: zId, type: z.enum(['User', 'Contact']) }),
  status: z.enum(STATUSES).optional(),
  priority: z.enum(['High', 'Normal', 'Low']).optional(),
  due_at: zDate.optional(),
  matter: zRef.optional(),
  permission: z.enum(['private', 'public']).optional(),
  notify_assignee: zBool.optional(),
  notify_completion: zBool.optional(),
  statute_of_limitations: zBool.optional(),
  time_estimated: z.coerce.number().int().min(0).optional(),
  description_text_type: z.enum(['plain_text', 'rich_text']).optional(),
});

function build(
  ctx: ApiContext,
  input: Partial<z.infer<typeof TaskInput>>,
  current?: Doc,
): Record<string, unknown> {
  checkLinkFields(ctx, input, { matter: 'matters' });
  const { notify_assignee: _n, assignee, ...rest } = input;
  const out: Record<string, unknown> = { ...rest };
  if (assignee) {
    const who = ctx.state.store.get(assignee.type === 'User' ? 'users' : 'contacts', assignee.id);
    if (!who) throw unprocessable(`Assignee ${assignee.type} ${assignee.id} could not be found`);
    out.assignee = { id: assignee.id, type: assignee.type, name: who.name, enabled: true };
  }
  // completed_at follows status: set on completion, cleared when reopened.
  if (input.status === 'complete' && current?.status !== 'complete')
    out.completed_at = new Date().toISOString();
  if (input.status && input.status !== 'complete') out.completed_at = undefined;
  return out;
}

export const tasksDef: ResourceDef = {
  meta: metaFor('tasks'),
  path: 'tasks',
  orders: ['due_at', 'name', 'priority', 'status', 'updated_at'],
  filter: (f) => {
    const assignee = f.query.assignee_id;
    if (assignee !== undefined) {
      const type = queryString(f.query.assignee_type);
      if (type !== 'user' && type !== 'contact')
        throw badRequest('assignee_type (user or contact) is required with assignee_id');
      f.where.push(
        { path: '$.assignee.id', op: '=', value: Number(assignee) },
        { path: '$.assignee.type', op: '=', value: type === 'user' ? 'User' : 'Contact' },
      );
    }
    f.link('assigner_id', '$.assigner.id');
    f.link('matter_id', '$.matter.id');
    f.equals('status', '$.status', STATUSES);
    f.equals('priority', '$.priority', ['high', 'normal', 'low'], (s) => s[0]?.toUpperCase() + s.slice(1));
    if (f.query.complete !== undefined)
      f.predicate((t) => (t.status === 'complete') === (f.query.complete === 'true'));
    f.dateRange('due_at_from', 'due_at_to', '$.due_at');
    f.bool('statute_of_limitations', '$.statute_of_limitations');
    f.text(['name', 'description']);
  },
  create: (ctx, body) => {
    const input = parseInput(TaskInput, dataOf(body));
    return ctx.state.store.insert('tasks', {
      status: 'pending',
      priority: 'Normal',
      permission: 'public',
      description_text_type: 'plain_text',
      notify_completion: false,
      statute_of_limitations: false,
      time_entries_count: 0,
      assigner: { id: ctx.userId },
      ...build(ctx, input),
    });
  },
  update: (ctx, current, body) =>
    ctx.state.store.update(
      'tasks',
      current.id,
      build(ctx, parseInput(TaskInput.partial(), dataOf(body)), current),
    ),
  destroy: (ctx, current) => {
    ctx.state.store.remove('tasks', current.id);
  },
};
