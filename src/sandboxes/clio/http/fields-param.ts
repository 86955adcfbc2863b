import type { FieldCatalogueEntry } from '../schema/build-field-catalogue';
import catalogueJson from '../schema/resource-fields.json';
import { badRequest } from './errors';

const catalogue = catalogueJson as Record<string, FieldCatalogueEntry>;

/** One requested field: `nested` is undefined for "default fields", else the names inside braces. */
export interface FieldSelection {
  name: string;
  nested?: string[];
}

export const DEFAULT_FIELDS: FieldSelection[] = [{ name: 'id' }, { name: 'etag' }];

export function schemaEntry(schema: string): FieldCatalogueEntry {
  const entry = catalogue[schema];
  if (!entry) throw new Error(`unknown schema ${schema}`);
  return entry;
}

/** Splits `a,b{c,d},e` at top-level commas; braces may nest one level only (Clio answers 400 otherwise). */
function tokenize(raw: string): FieldSelection[] {
  const out: FieldSelection[] = [];
  let i = 0;
  while (i < raw.length) {
    let name = '';
    while (i < raw.length && raw[i] !== ',' && raw[i] !== '{') name += raw[i++];
    let nested: string[] | undefined;
    if (raw[i] === '{') {
      const close = raw.indexOf('}', i);
      const inner = close === -1 ? '' : raw.slice(i + 1, close);
      if (close === -1 || inner.includes('{'))
        throw badRequest('Invalid fields: only one level of nesting is allowed');
      nested = inner
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      i = close + 1;
      if (i < raw.length && raw[i] !== ',') throw badRequest(`Invalid fields: unexpected "${raw[i]}"`);
    }
    if (raw[i] === ',') i++;
    name = name.trim();
    if (!name) {
      if (nested) throw badRequest('Invalid fields: braces without a field name');
      continue;
    }
    if (name.includes('}')) throw badRequest('Invalid fields: unbalanced braces');
    out.push({ name, nested });
  }
  return out;
}

/** Parses and validates `fields` against the resource's schema in Clio's OpenAPI document. */
export function parseFields(raw: unknown, schema: string): FieldSelection[] {
  if (raw === undefined || raw === '') return DEFAULT_FIELDS;
  if (typeof raw !== 'string') throw badRequest('Invalid fields: expected a comma-separated string');
  const entry = schemaEntry(schema);
  const selections = tokenize(raw);
  for (const sel of selections) {
    const link = entry.links[sel.name];
    if (!link && !entry.scalars.includes(sel.name))
      throw badRequest(`Invalid fields: unknown field "${sel.name}"`);
    if (sel.nested && !link) throw badRequest(`Invalid fields: "${sel.name}" has no nested fields`);
    if (sel.nested && link) {
      const target = catalogue[link.schema];
      // A link of the nested record (`matter{client}`) is allowed and answers with its default fields.
      const full = catalogue[link.schema.replace(/_base$/, '')];
      for (const n of sel.nested) {
        if (target && !target.scalars.includes(n) && !target.links[n] && !full?.links[n])
          throw badRequest(`Invalid fields: unknown field "${n}" in "${sel.name}"`);
      }
    }
  }
  return selections.length ? selections : DEFAULT_FIELDS;
}
