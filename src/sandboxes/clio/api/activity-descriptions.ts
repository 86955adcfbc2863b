import { z } from 'zod';
import { forbidden, unprocessable } from '../http/errors';
import { dataOf, parseInput, zBool, zNumber } from './input';
import { asText } from '../http/query-value';
import type { Doc } from '../state/record-store';
import { USD } from '../seed/seed-firm';
import type { ApiContext } from './resource-def';
import { metaFor } from './resource-meta';
import type { ResourceDef } from './resource-def';

interface DescriptionRef {
  id?: number;
  utbms_task_id?: number;
  utbms_activity_id?: number;
}

function utbmsCode(ctx: ApiContext, id: number | undefined, type: string): Doc | undefined {
  if (id === undefined) return undefined;
  const code = ctx.state.store.get('utbms_codes', id);
  if (!code || code.type !== type)
    throw unprocessable(`UTBMS ${type === 'UtbmsTask' ? 'task' : 'activity'} ${id} could not be found`);
  return code;
}

/**
 * `activity_description: {id}` names a description; `{utbms_task_id, utbms_activity_id}` names a
 * UTBMS task/activity pair, which maps to the firm's UTBMS description for that pair (created once).
 */
export function resolveActivityDescription(ctx: ApiContext, ref: DescriptionRef): Doc {
  const { store } = ctx.state;
  if (ref.id !== undefined) {
    const desc = store.get('activity_descriptions', ref.id);
    if (!desc) throw unprocessable(`Activity description ${ref.id} could not be found`);
    return desc;
  }
  const task = utbmsCode(ctx, ref.utbms_task_id, 'UtbmsTask');
  const activity = utbmsCode(ctx, ref.utbms_activity_id, 'UtbmsActivity');
  if (!task && !activity)
    throw unprocessable('activity_description needs id, utbms_task_id or utbms_activity_id');
  const match = store
    .list('activity_descriptions', { where: [{ path: '$.type', op: '=', value: 'utbms' }] })
    .find((d) => d.utbms_activity_id === activity?.id && d.utbms_task_id === task?.id);
  if (match) return match;
  return store.insert('activity_descriptions', {
    name: [task?.code, activity?.code].filter(Boolean).join(' ') + ` ${asText(activity?.name ?? task?.name)}`,
    type: 'utbms',
    default: false,
    visible_to_co_counsel: true,
    accessible_to_user: true,
    category_type: 'hourly',
    ...(activity ? { utbms_activity_id: activity.id } : {}),
    ...(task ? { utbms_task_id: task.id, utbms_task_name: task.name } : {}),
    currency: USD,
    rate: { type: 'User' },
  });
}

const DescriptionInput = z.object({
  name: z.string().min(1).max(255),
  visible_to_co_counsel: zBool.optional(),
  default: zBool.optional(),
  // Rate: `User` uses the timekeeper's rate; `Custom` an hourly amount (dollars) for this description.
  rate: z.object({ type: z.enum(['User', 'Custom']), amount: zNumber.min(0).optional() }).optional(),
});

function rateOf(rate: z.infer<typeof DescriptionInput>['rate']): Record<string, unknown> | undefined {
  if (!rate) return undefined;
  if (rate.type === 'Custom' && rate.amount === undefined)
    throw unprocessable('A Custom rate needs an amount');
  return rate.type === 'Custom'
    ? { type: 'Custom', amount: Math.round((rate.amount ?? 0) * 100) }
    : { type: 'User' };
}

export const activityDescriptionsDef: ResourceDef = {
  meta: metaFor('activity_descriptions'),
  path: 'activity_descriptions',
  orders: ['name'],
  filter: (f) => {
    f.equals('type', '$.type', ['utbms', 'clio']);
    f.text(['name']);
  },
  create: (ctx, body) => {
    const input = parseInput(DescriptionInput, dataOf(body));
    return ctx.state.store.insert('activity_descriptions', {
      type: 'clio',
      default: false,
      visible_to_co_counsel: true,
      accessible_to_user: true,
      category_type: 'hourly',
      currency: USD,
      ...input,
      rate: rateOf(input.rate) ?? { type: 'User' },
    });
  },
  update: (ctx, current, body) => {
    const input = parseInput(DescriptionInput.partial(), dataOf(body));
    if (current.type === 'utbms' && input.name)
      throw unprocessable('UTBMS descriptions take their names from the codes');
    return ctx.state.store.update('activity_descriptions', current.id, {
      ...input,
      ...(input.rate ? { rate: rateOf(input.rate) } : {}),
    });
  },
  destroy: (ctx, current) => {
    // Entries keep their description; Clio refuses to delete one that is in use.
    if (
      ctx.state.store.list('activities', {
        where: [{ path: '$.activity_description.id', op: '=', value: current.id }],
        limit: 1,
      }).length
    )
      throw forbidden('An activity description in use cannot be deleted');
    ctx.state.store.remove('activity_descriptions', current.id);
  },
};
