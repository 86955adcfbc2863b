import { z } from 'zod';
import { unprocessable } from '../http/errors';
import type { Doc } from '../state/record-store';
import { zBool, zId } from './input';

export const ExternalPropertyInput = z.object({
  id: zId.optional(),
  name: z.string().min(1).optional(),
  value: z.string().optional(),
  _destroy: zBool.optional(),
});
export type ExternalPropertyItem = z.infer<typeof ExternalPropertyInput>;

/**
 * `external_properties` (Clio: at most 5 per record) with the nested-write rules: no id creates,
 * id updates, `_destroy` removes. This is where integrations keep their own ids for dedupe.
 */
export function mergeExternalProperties(
  nextId: () => number,
  current: Doc[],
  items: ExternalPropertyItem[] | undefined,
): Doc[] {
  if (!items) return current;
  const out = current.map((p) => ({ ...p }));
  const stamp = new Date().toISOString();
  for (const item of items) {
    const index = item.id === undefined ? -1 : out.findIndex((p) => p.id === item.id);
    if (item.id !== undefined && index === -1)
      throw unprocessable(`External property ${item.id} could not be found`);
    if (item._destroy) out.splice(index, 1);
    else if (index >= 0)
      out[index] = {
        ...(out[index] as Doc),
        ...(item.name ? { name: item.name } : {}),
        ...(item.value !== undefined ? { value: item.value } : {}),
        updated_at: stamp,
      };
    else {
      if (!item.name) throw unprocessable('An external property needs a name');
      out.push({
        id: nextId(),
        etag: `"${stamp}"`,
        name: item.name,
        value: item.value ?? '',
        created_at: stamp,
        updated_at: stamp,
      });
    }
  }
  if (out.length > 5) throw unprocessable('A record can have at most 5 external properties');
  return out;
}

/** `external_property_name` / `external_property_value` filters. */
export function hasExternalProperty(doc: Doc, name: string | undefined, value: string | undefined): boolean {
  return ((doc.external_properties as Doc[] | undefined) ?? []).some(
    (p) => (name === undefined || p.name === name) && (value === undefined || p.value === value),
  );
}
