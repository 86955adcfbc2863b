import { badRequest } from '../http/errors';
import { asText } from '../http/query-value';
import type { Doc } from '../state/record-store';
import type { ResourceDef } from './resource-def';
import { metaFor } from './resource-meta';
import { createActivity, destroyActivity, updateActivity } from './activity-write';

const STATUSES = ['billed', 'draft', 'unbilled', 'non_billable', 'billable', 'written_off'] as const;
type Status = (typeof STATUSES)[number];

/** Clio's activity `status` filter, in terms of the billed/on_bill/non_billable flags. */
const STATUS_TESTS: Record<Status, (a: Doc) => boolean> = {
  billed: (a) => a.billed === true,
  draft: (a) => a.on_bill === true && a.billed !== true,
  unbilled: (a) => a.on_bill !== true && a.non_billable !== true,
  non_billable: (a) => a.non_billable === true,
  billable: (a) => a.non_billable !== true,
  written_off: (a) => a.written_off === true,
};

export const activitiesDef: ResourceDef = {
  meta: metaFor('activities'),
  path: 'activities',
  // Clio's `order` enum for GET /activities.json; `display_number` is the matter's.
  orders: [
    'display_number',
    'user.name',
    'price',
    'total',
    'type',
    'date',
    'note',
    'updated_at',
    'vendor.name',
    'expense_category.name',
    'non_billable',
    'non_billable_total',
  ],
  orderPaths: { display_number: 'matter.display_number' },
  filter: (f) => {
    f.link('matter_id', '$.matter.id');
    f.link('user_id', '$.user.id');
    f.link('activity_description_id', '$.activity_description.id');
    f.link('task_id', '$.task.id');
    f.link('calendar_entry_id', '$.calendar_entry.id');
    f.link('communication_id', '$.communication.id');
    f.link('expense_category_id', '$.expense_category.id');
    f.equals('type', '$.type', ['TimeEntry', 'ExpenseEntry', 'HardCostEntry', 'SoftCostEntry']);
    f.bool('flat_rate', '$.flat_rate');
    // `date` is an exact day; start_date/end_date bound it inclusively.
    f.dateRange('date', 'date', '$.date');
    f.dateRange('start_date', 'end_date', '$.date');
    const status = f.query.status;
    if (status !== undefined) {
      const wanted = asText(status);
      if (!(STATUSES as readonly string[]).includes(wanted)) throw badRequest(`Invalid status: ${wanted}`);
      f.predicate((a) => STATUS_TESTS[wanted as Status](a));
    }
    f.text(['note']);
  },
  create: createActivity,
  update: updateActivity,
  destroy: destroyActivity,
};
