import { badRequest } from '../http/errors';
import { asText } from '../http/query-value';
import type { Doc } from '../state/record-store';
import type { FilterBuilder } from './list-filters';
import type { ApiContext } from './resource-def';

const ORDERED_TYPES = new Set(['currency', 'date', 'time', 'numeric']);
const OP = /^(<=|>=|<|>|=)?(.*)$/s;

/**
 * `custom_field_values[<field id>]=<op><value>` (several values narrow further). Checkbox, contact,
 * matter, picklist and text-like types allow only `=`; currency, date, time and numeric also allow
 * `<, >, <=, >=`. Another operator for the type is a 400, as in Clio.
 */
export function customFieldFilter(f: FilterBuilder, ctx: ApiContext): void {
  for (const [key, raw] of Object.entries(f.query)) {
    const m = /^custom_field_values\[(\d+)\]$/.exec(key);
    if (!m) continue;
    const field = ctx.state.store.get('custom_fields', Number(m[1]));
    if (!field) throw badRequest(`Unknown custom field ${m[1]}`);
    const type = asText(field.field_type);
    const conditions = (Array.isArray(raw) ? raw : [raw]).map((v) => {
      const [, op = '=', value = ''] = OP.exec(asText(v)) as unknown as [string, string | undefined, string];
      if (op !== '=' && !ORDERED_TYPES.has(type))
        throw badRequest(`Operator ${op} is not allowed for a ${type} custom field`);
      return { op, value };
    });
    f.predicate((doc: Doc) => {
      const stored = ((doc.custom_field_values as Doc[] | undefined) ?? []).find(
        (v) => (v.custom_field as { id: number }).id === field.id,
      );
      if (!stored) return false;
      const actual = asText(stored.value);
      return conditions.every(({ op, value }) => {
        const [a, b] =
          type === 'numeric' || type === 'currency' ? [Number(actual), Number(value)] : [actual, value];
        return op === '=' ? a === b : op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
      });
    });
  }
}
