/**
 * Dev tool: derives the field catalogue (scalar fields and links per resource) from Clio's OpenAPI
 * document, so `fields=` validation follows Clio's own schemas instead of a hand-kept list.
 * Run: npx tsx src/sandboxes/clio/schema/generate-resource-fields.ts ../shared/reference/clio-openapi-v4.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface SchemaNode {
  $ref?: string;
  type?: string;
  allOf?: SchemaNode[];
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
}

const specPath = process.argv[2] ?? '../shared/reference/clio-openapi-v4.json';
const spec = JSON.parse(readFileSync(specPath, 'utf8')) as {
  components: { schemas: Record<string, SchemaNode> };
};
const schemas = spec.components.schemas;
const refName = (ref: string): string => ref.replace('#/components/schemas/', '');

/** Every property a schema allows, flattening allOf. */
function props(name: string): Record<string, SchemaNode> {
  const node = schemas[name];
  if (!node) return {};
  const out: Record<string, SchemaNode> = { ...(node.properties ?? {}) };
  for (const part of node.allOf ?? []) {
    if (part.$ref) Object.assign(out, props(refName(part.$ref)));
    Object.assign(out, part.properties ?? {});
  }
  return out;
}

export interface FieldCatalogueEntry {
  scalars: string[];
  links: Record<string, { schema: string; array: boolean }>;
}

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
writeFileSync(join(__dirname, 'resource-fields.json'), JSON.stringify(catalogue));
console.log(`wrote ${Object.keys(catalogue).length} schemas`);
