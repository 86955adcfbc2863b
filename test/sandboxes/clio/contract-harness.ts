import { startSandbox, type Harness, type Json } from './helpers';
import { OpenApiValidator } from './openapi-validator';

/**
 * Contract checks: every answer is validated against the response schema Clio's OpenAPI document
 * declares for the operation and status. A failure is a sandbox bug: fix the sandbox, never the check.
 * (401 answers are one exception: Clio sends OAuth-style bodies for token errors, as its support
 * article shows, while the document declares its generic Error; see oauth.test.ts. The other is a null
 * the document's own prose promises where its schema omits `nullable`: DOCUMENTED_NULLS.)
 */
export interface Contract {
  harness: () => Harness;
  /** Calls the sandbox, expects the status, validates the body against the spec; returns the body. */
  op: (
    specPath: string,
    method: string,
    url: string,
    init?: { json?: unknown; headers?: Record<string, string>; expect?: number },
  ) => Promise<Json>;
  /** `fields=` naming every field the schema offers. */
  all: (schema: string) => string;
}

const spec = new OpenApiValidator();

/** Registers beforeAll/afterAll for one sandbox per test file. */
export function useContract(): Contract {
  let h: Harness | undefined;
  beforeAll(async () => {
    h = await startSandbox();
  });
  afterAll(() => h?.sandbox.close());
  const harness = (): Harness => {
    if (!h) throw new Error('sandbox not started');
    return h;
  };
  return {
    harness,
    all: (schema) => `fields=${encodeURIComponent(spec.allFields(schema))}`,
    op: async (specPath, method, url, init = {}) => {
      const res = await harness().api(url, {
        method,
        json: init.json,
        headers: init.headers,
        redirect: 'manual',
      });
      const text = await res.text();
      const body: Json =
        text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined;
      expect({ url, status: res.status, body: res.status >= 400 ? body : undefined }).toMatchObject({
        status: init.expect ?? expect.any(Number),
      });
      expect(spec.validate(specPath, method, res.status, body)).toEqual([]);
      return body;
    },
  };
}
