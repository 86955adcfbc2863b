import { z } from 'zod';
import type { Doc } from '../state/record-store';
import { zBool, zId } from './input';
import type { ResourceDef } from './resource-def';
import { metaFor } from './resource-meta';
import { simpleCrud } from './simple-crud';

const FIELD_TYPES = [
  'checkbox',
  'contact',
  'currency',
  'date',
  'time',
  'email',
  'matter',
  'numeric',
  'picklist',
  'text_area',
  'text_line',
  'url',
] as const;
const Option = z.object({
  id: zId.optional(),
  option: z.string().min(1).optional(),
  _deleted: zBool.optional(),
});

/** Picklist options: `{option}` adds, `{id, option}` renames, `{id, _deleted: true}` retires (kept with deleted_at). */
function mergeOptions(
  store: { nextId(c: string): number },
  current: Doc[],
  items: z.infer<typeof Option>[] | undefined,
): Doc[] {
  const out = current.map((o) => ({ ...o }));
  for (const item of items ?? []) {
    const existing = item.id === undefined ? undefined : out.find((o) => o.id === item.id);
    if (existing && item._deleted) existing.deleted_at = new Date().toISOString();
    else if (existing && item.option) existing.option = item.option;
    else if (!existing && item.option)
      out.push({ id: store.nextId('picklist_options'), option: item.option });
  }
  return out;
}

const crud = simpleCrud({
  collection: 'custom_fields',
  input: z.object({
    // Clio caps custom field names at 32 characters.
    name: z.string().min(1).max(32),
    field_type: z.enum(FIELD_TYPES),
    parent_type: z.enum(['Contact', 'Matter']),
    displayed: zBool.optional(),
    required: zBool.optional(),
    display_order: z.coerce.number().int().optional(),
    picklist_options: z.array(Option).optional(),
  }),
  defaults: () => ({ displayed: true, required: false, deleted: false, display_order: 0 }),
  derive: (ctx, merged, current) => ({
    picklist_options: mergeOptions(
      ctx.state.store,
      (current.picklist_options as Doc[]) ?? [],
      merged.picklist_options as z.infer<typeof Option>[],
    ),
  }),
});

export const customFieldsDef: ResourceDef = {
  meta: metaFor('custom_fields'),
  path: 'custom_fields',
  writeRoles: ['admin'],
  orders: ['name', 'display_order'],
  filter: (f) => {
    f.equals('parent_type', '$.parent_type', ['matter', 'contact'], (s) =>
      s === 'matter' ? 'Matter' : 'Contact',
    );
    f.equals('field_type', '$.field_type', FIELD_TYPES);
    f.bool('deleted', '$.deleted');
    f.text(['name']);
  },
  create: (ctx, body) => {
    const doc = crud.create(ctx, body);
    return ctx.state.store.update('custom_fields', doc.id, {
      picklist_options: mergeOptions(ctx.state.store, [], doc.picklist_options as z.infer<typeof Option>[]),
    });
  },
  update: crud.update,
  // Clio soft-deletes definitions so stored values keep their meaning.
  destroy: (ctx, current) => {
    ctx.state.store.update('custom_fields', current.id, { deleted: true });
  },
};
