import { asText } from '../http/query-value';
import type { ResourceDef } from './resource-def';
import { metaFor } from './resource-meta';
import { createActivity, destroyActivity, updateActivity } from './activity-write';

const STATUSES = ['billed', 'draft', 'unbilled', 'non_billable', 'billable', 'written_off'] as const;

export const activitiesDef: ResourceDef = {
  meta: metaFor('activities'),
  path: 'activities',
  orders: [
    'date',
    'price',
    'total',
    'type',
    'note',
    'updated_at',
    'non_billable',
    'non_billable_total',
    'user.name',
  ],
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
      f.equals('status', '$.__status_check', STATUSES);
      f.where.pop();
      f.predicate((a) => {
        switch (asText(status)) {
          case 'billed':
            return a.billed === true;
          case 'draft':
            return a.on_bill === true && a.billed !== true;
          case 'unbilled':
            return a.on_bill !== true && a.non_billable !== true;
          case 'non_billable':
            return a.non_billable === true;
          case 'billable':
            return a.non_billable !== true;
          default:
            return a.written_off === true;
        }
      });
    }
    f.text(['note']);
  },
  create: createActivity,
  update: updateActivity,
  destroy: destroyActivity,
};
