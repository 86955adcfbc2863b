/**
 * Derives the field catalogue (scalar fields and links per schema) from Clio's OpenAPI document, so
 * `fields=` validation follows Clio's own schemas instead of a hand-kept list.
 */
export interface SchemaNode {
  $ref?: string;
  type?: string;
  allOf?: SchemaNode[];
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
}

export interface FieldCatalogueEntry {
  scalars: string[];
  links: Record<string, { schema: string; array: boolean }>;
}

const refName = (ref: string): string => ref.replace('#/components/schemas/', '');

export function buildFieldCatalogue(
  schemas: Record<string, SchemaNode>,
): Record<string, FieldCatalogueEntry> {
  /** Every property a schema allows, flattening allOf. */
  const props = (name: string): Record<string, SchemaNode> => {
    const node = schemas[name];
    if (!node) return {};
    const out: Record<string, SchemaNode> = { ...(node.properties ?? {}) };
    for (const part of node.allOf ?? []) {
      if (part.$ref) Object.assign(out, props(refName(part.$ref)));
      Object.assign(out, part.properties ?? {});
    }
    return out;
  };
  const catalogue: Record<string, FieldCatalogueEntry> = {};
  for (const name of Object.keys(schemas)) {
    if (name.endsWith('_List') || name.endsWith('_Show') || name.endsWith('_base')) continue;
    const entry: FieldCatalogueEntry = { scalars: [], links: {} };
    for (const [field, node] of Object.entries(props(name))) {
      if (node.$ref) entry.links[field] = { schema: refName(node.$ref), array: false };
      else if (node.type === 'array' && node.items?.$ref)
        entry.links[field] = { schema: refName(node.items.$ref), array: true };
      else entry.scalars.push(field);
    }
    catalogue[name] = entry;
  }
  // Nested selections pick from the linked schema's own fields (its _base when that is what is linked).
  for (const name of Object.keys(schemas)) {
    if (!name.endsWith('_base') || catalogue[name]) continue;
    catalogue[name] = { scalars: Object.keys(props(name)), links: {} };
  }
  return catalogue;
}
