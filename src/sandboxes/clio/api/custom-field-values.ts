import { z } from 'zod';
import { DOCUMENTED_NULL } from '../http/documented-null';
import { unprocessable } from '../http/errors';
import type { RenderContext } from '../http/render';
import type { Doc } from '../state/record-store';
import { parseInput, zBool, zId } from './input';
import type { ApiContext } from './resource-def';

type ParentType = 'Matter' | 'Contact';

const ValueInput = z.object({
  id: z.string().nullable().optional(),
  custom_field: z.object({ id: zId }).optional(),
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
  _destroy: zBool.optional(),
});

/** Values are stored as strings (the schema types `value` as string); each type checks its own form. */
function normalise(field: Doc, raw: unknown): string {
  const value = String(raw);
  const bad = (): never => {
    throw unprocessable(
      `Custom field "${String(field.name)}": "${value}" is not a valid ${String(field.field_type)} value`,
    );
  };
  switch (field.field_type) {
    case 'checkbox':
      return ['true', 'false'].includes(value) ? value : bad();
    case 'numeric':
    case 'currency':
      return Number.isFinite(Number(value)) && value.trim() !== '' ? value : bad();
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : bad();
    case 'email':
      return /^[^@\s]+@[^@\s]+$/.test(value) ? value : bad();
    case 'picklist': {
      const options = (field.picklist_options as { id: number }[] | undefined) ?? [];
      return options.some((o) => String(o.id) === value) ? value : bad();
    }
    default:
      return value;
  }
}

/**
 * Create/update/_destroy semantics of Clio's nested custom_field_values: an item with `custom_field`
 * creates a value, an item with a value id (`text_line-12`) updates it, `_destroy` removes it.
 * A definition id used where a value id belongs is refused rather than silently overwriting.
 */
export function applyCustomFieldValues(
  ctx: ApiContext,
  parentType: ParentType,
  current: Doc[],
  items: unknown[],
): Doc[] {
  const { store } = ctx.state;
  const values = current.map((v) => ({ ...v }));
  const stamp = new Date().toISOString();
  for (const raw of items) {
    const item = parseInput(ValueInput, raw);
    // The null-id entry of a displayed field has nothing to update. Clio's request schema says "the
    // keyword null is not valid" for a value id, and its docs say a null id means creating with
    // custom_field{id} instead; so a blank entry echoed back is refused, custom_field or not, rather
    // than guessed into a create a stricter Clio would reject.
    if (item.id === null)
      throw unprocessable(
        'This custom field has no value yet (its id is null): create one with custom_field: {id} and no id',
      );
    if (item.id) {
      const index = values.findIndex((v) => v.id === (item.id as unknown));
      if (index === -1)
        throw unprocessable(
          `Custom field value "${item.id}" could not be found on this ${parentType.toLowerCase()}`,
        );
      if (item._destroy) {
        values.splice(index, 1);
        continue;
      }
      const existing = values[index] as Doc;
      const field = store.get('custom_fields', (existing.custom_field as { id: number }).id);
      if (!field) throw unprocessable('Custom field could not be found');
      values[index] = {
        ...existing,
        value: normalise(field, item.value ?? ''),
        updated_at: stamp,
        etag: `"${stamp}"`,
      };
      continue;
    }
    if (!item.custom_field) throw unprocessable('A new custom field value needs custom_field: {id}');
    const field = store.get('custom_fields', item.custom_field.id);
    if (!field || field.parent_type !== parentType || field.deleted)
      throw unprocessable(`Custom field ${item.custom_field.id} could not be found for ${parentType}`);
    if (values.some((v) => (v.custom_field as { id: number }).id === field.id))
      throw unprocessable(
        `Custom field "${String(field.name)}" already has a value; update it by the value's id`,
      );
    const seq = store.nextId('custom_field_values');
    const value = normalise(field, item.value ?? '');
    const option =
      field.field_type === 'picklist'
        ? (field.picklist_options as { id: number; option: string }[]).find((o) => String(o.id) === value)
        : undefined;
    values.push({
      id: `${String(field.field_type)}-${seq}` as unknown as number,
      etag: `"${stamp}"`,
      field_name: field.name,
      field_type: field.field_type,
      field_required: field.required,
      field_displayed: field.displayed,
      field_display_order: field.display_order,
      value,
      soft_deleted: false,
      custom_field: { id: field.id },
      ...(option ? { picklist_option: { id: option.id, option: option.option } } : {}),
      created_at: stamp,
      updated_at: stamp,
    });
  }
  return values;
}

/** Per request: the definitions Clio lists on every record, filled or not (displayed, not deleted). */
function displayedFields(ctx: Pick<RenderContext, 'store' | 'memo'>, parentType: ParentType): Doc[] {
  const key = `displayed-custom-fields:${parentType}`;
  let fields = ctx.memo.get(key) as Doc[] | undefined;
  if (!fields) {
    fields = ctx.store
      .all('custom_fields')
      .filter((f) => f.parent_type === parentType && f.displayed === true && f.deleted !== true)
      .sort((a, b) => Number(a.display_order) - Number(b.display_order) || a.id - b.id);
    ctx.memo.set(key, fields);
  }
  return fields;
}

/**
 * The values as Clio lists them: the stored ones, then an entry for each displayed field that has no
 * value yet. Clio's docs: "The `id` may be `NULL` when the CustomField is displayed by default but has
 * not yet been given a value." Such an entry is computed on read, never stored, so the custom field
 * filter (which reads stored values) cannot match it.
 */
export function withDisplayedBlanks(
  ctx: Pick<RenderContext, 'store' | 'memo'>,
  parentType: ParentType,
  values: Doc[],
): Doc[] {
  const filled = new Set(values.map((v) => (v.custom_field as { id: number }).id));
  const blanks = displayedFields(ctx, parentType)
    .filter((f) => !filled.has(f.id))
    .map((f): Doc => ({
      // No value record exists yet: no etag or timestamps, and no value (nothing documents a null one).
      id: DOCUMENTED_NULL as unknown as number,
      field_name: f.name,
      field_type: f.field_type,
      field_required: f.required,
      field_displayed: true,
      field_display_order: f.display_order,
      soft_deleted: false,
      custom_field: { id: f.id },
    }));
  return blanks.length ? [...values, ...blanks] : values;
}
