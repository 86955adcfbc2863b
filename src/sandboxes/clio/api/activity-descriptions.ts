import { unprocessable } from '../http/errors';
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

export const activityDescriptionsDef: ResourceDef = {
  meta: metaFor('activity_descriptions'),
  path: 'activity_descriptions',
  filter: (f) => {
    f.equals('type', '$.type', ['utbms', 'clio']);
    f.text(['name']);
  },
};
