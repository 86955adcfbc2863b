import type { ResourceDef } from './resource-def';
import { metaFor } from './resource-meta';

/** UTBMS lookups are read-only. */
export const utbmsCodesDef: ResourceDef = {
  meta: metaFor('utbms_codes'),
  path: 'utbms/codes',
  orders: ['name'],
  filter: (f) => {
    f.equals('type', '$.type', ['UtbmsTask', 'UtbmsActivity', 'UtbmsExpense']);
    f.link('utbms_set_id', '$.utbms_set_id');
    f.text(['code', 'name', 'description']);
  },
};

export const utbmsSetsDef: ResourceDef = {
  meta: metaFor('utbms_sets'),
  path: 'utbms/sets',
  orders: ['name'],
};
