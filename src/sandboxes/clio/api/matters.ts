import { badRequest } from '../http/errors';
import { asText } from '../http/query-value';
import { customFieldFilter } from './custom-field-filter';
import type { Doc } from '../state/record-store';
import { parseDate } from './list-filters';
import type { ResourceDef } from './resource-def';
import { metaFor } from './resource-meta';
import { createMatter, destroyMatter, updateMatter } from './matter-write';

const DATE_OP = /^(>=|<=|>|<|=)(\d{4}-\d{2}-\d{2})$/;

/** `open_date[]=>=2020-01-01`: each value is an operator and a date; several narrow the range. */
function dateOps(values: unknown, param: string): ((d: unknown) => boolean)[] {
  const list = Array.isArray(values) ? values : [values];
  return list.map((raw) => {
    const m = DATE_OP.exec(asText(raw));
    if (!m) throw badRequest(`Invalid ${param}: expected an operator and a date, e.g. >=2020-01-01`);
    const [, op, date] = m as unknown as [string, string, string];
    parseDate(param, date);
    return (v: unknown) => {
      if (typeof v !== 'string') return false;
      return op === '='
        ? v === date
        : op === '>'
          ? v > date
          : op === '<'
            ? v < date
            : op === '>='
              ? v >= date
              : v <= date;
    };
  });
}

export const mattersDef: ResourceDef = {
  meta: metaFor('matters'),
  path: 'matters',
  // Clio's `order` enum for GET /matters.json (a field the sandbox does not keep sorts as empty, then by id).
  orders: [
    'display_number',
    'custom_number',
    'client.name',
    'open_date',
    'practice_area.name',
    'matter_stage.name',
    'responsible_attorney.name',
    'close_date',
    'pending_date',
    'updated_at',
    'created_at',
    'statute_of_limitations.due_at',
    'originating_attorney.name',
    'grants',
    'matter_stage_updated_at',
  ],
  filter: (f, ctx) => {
    // Status is written lowercase (a comma list is allowed) and read capitalised.
    f.equals('status', '$.status', ['open', 'pending', 'closed'], (s) => s[0]?.toUpperCase() + s.slice(1));
    f.link('client_id', '$.client.id', { nullable: false });
    f.link('practice_area_id', '$.practice_area.id', { nullable: false });
    f.link('responsible_attorney_id', '$.responsible_attorney.id');
    f.link('originating_attorney_id', '$.originating_attorney.id');
    f.bool('billable', '$.billable');
    for (const field of ['open_date', 'close_date', 'pending_date']) {
      const v = f.query[`${field}[]`] ?? f.query[field];
      if (v !== undefined) {
        const ops = dateOps(v, `${field}[]`);
        f.predicate((m) => ops.every((op) => op(m[field])));
      }
    }
    customFieldFilter(f, ctx);
    f.text(['display_number', 'description', 'number'], (m: Doc, needle) => {
      const client = ctx.state.store.get('contacts', (m.client as { id: number }).id);
      return asText(client?.name).toLowerCase().includes(needle);
    });
  },
  create: createMatter,
  update: updateMatter,
  destroy: destroyMatter,
};
