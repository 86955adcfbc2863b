/**
 * Dev tool: regenerates resource-fields.json from Clio's OpenAPI document.
 * Run: npx tsx src/sandboxes/clio/schema/generate-resource-fields.ts ../shared/reference/clio-openapi-v4.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFieldCatalogue, type SchemaNode } from './build-field-catalogue';

const specPath = process.argv[2] ?? '../shared/reference/clio-openapi-v4.json';
const spec = JSON.parse(readFileSync(specPath, 'utf8')) as {
  components: { schemas: Record<string, SchemaNode> };
};
const catalogue = buildFieldCatalogue(spec.components.schemas);
writeFileSync(join(__dirname, 'resource-fields.json'), JSON.stringify(catalogue));
console.log(`wrote ${Object.keys(catalogue).length} schemas`);
