import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Clio's own OpenAPI 3.0 document (API v4), in the repository so the sandbox is checked against it on any
 * clone. Refresh it from a newer copy with `gzip -9 -n -c clio-openapi-v4.json > test/fixtures/clio-openapi-v4.json.gz`.
 */
export const SPEC_PATH = join(__dirname, '../../fixtures/clio-openapi-v4.json.gz');

export function readClioSpec<T>(path = SPEC_PATH): T {
  return JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as T;
}

type Schema = Record<string, unknown>;
interface Spec {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>
  >;
  components: { schemas: Record<string, Schema> };
}

/** OpenAPI 3.0 → JSON Schema: `nullable` becomes a null type, refs point into one registered document. */
function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert);
  if (node === null || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [k, v] of Object.entries(node as Schema)) {
    if (k === '$ref' && typeof v === 'string')
      out.$ref = v.replace('#/components/schemas/', 'clio-openapi#/components/schemas/');
    else if (k === 'nullable') continue;
    else out[k] = convert(v);
  }
  const src = node as Schema;
  if (src.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
  }
  return out;
}

/**
 * Nulls Clio's own document promises in prose while its schemas leave `nullable` off: `[schema, property,
 * the sentence that promises it]`. Each sentence is checked to still be in the document (see
 * custom-field-values.test.ts), so an exception lasts only as long as Clio documents it.
 */
export const DOCUMENTED_NULLS: [string, string, string][] = [
  [
    'CustomFieldValue_base',
    'id',
    'The `id` may be `NULL` when the CustomField is displayed by default but has not yet been given a value.',
  ],
];

function allowDocumentedNulls(schemas: Record<string, Schema>): Record<string, Schema> {
  for (const [name, property] of DOCUMENTED_NULLS) {
    const prop = (schemas[name]?.properties as Record<string, Schema> | undefined)?.[property];
    if (!prop || typeof prop.type !== 'string')
      throw new Error(`documented null ${name}.${property} not found`);
    prop.type = [prop.type, 'null'];
  }
  return schemas;
}

export class OpenApiValidator {
  private readonly spec: Spec;
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(path = SPEC_PATH) {
    this.spec = readClioSpec<Spec>(path);
    // strict: false only tolerates OpenAPI's annotation keywords (example, xml, ...); constraints still apply.
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    for (const f of ['int32', 'int64'])
      this.ajv.addFormat(f, { type: 'number', validate: (n: number) => Number.isInteger(n) });
    for (const f of ['float', 'double'])
      this.ajv.addFormat(f, { type: 'number', validate: (n: number) => Number.isFinite(n) });
    this.ajv.addSchema({
      $id: 'clio-openapi',
      components: {
        schemas: allowDocumentedNulls(convert(this.spec.components.schemas) as Record<string, Schema>),
      },
    });
  }

  /** Validates a response body against the schema the spec declares for this operation and status. */
  validate(specPath: string, method: string, status: number, body: unknown): string[] {
    const key = `${method} ${specPath} ${status}`;
    let fn = this.cache.get(key);
    if (!fn) {
      const op = this.spec.paths[specPath]?.[method.toLowerCase()];
      if (!op) return [`operation ${method} ${specPath} is not in the spec`];
      const response = op.responses[String(status)];
      if (!response) return [`status ${status} is not declared for ${method} ${specPath}`];
      const content = Object.values(response.content ?? {})[0];
      if (!content) return body === undefined || body === '' ? [] : [`${key}: spec declares no body`];
      fn = this.ajv.compile(convert(content.schema) as Schema);
      this.cache.set(key, fn);
    }
    return fn(body)
      ? []
      : (fn.errors ?? []).map(
          (e) => `${key}: ${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
        );
  }

  /** Every field a resource schema offers (scalars and links), for `fields=` that asks for all. */
  allFields(schemaName: string): string {
    const names = new Set<string>();
    const walk = (s: Schema | undefined): void => {
      if (!s) return;
      if (typeof s.$ref === 'string') walk(this.spec.components.schemas[s.$ref.split('/').pop() as string]);
      for (const part of (s.allOf as Schema[] | undefined) ?? []) walk(part);
      for (const k of Object.keys((s.properties as Schema | undefined) ?? {})) names.add(k);
    };
    walk(this.spec.components.schemas[schemaName]);
    return [...names].join(',');
  }
}
