import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import { type Express } from 'express';
import { z } from 'zod';
import { type Client } from '@temporalio/client';
import { type createApp } from '../../src/api/app';
import { PERMISSIONS } from '../../src/api/auth/permissions';
import { IdParam } from '../../src/api/views/schemas';
import { loadConfig } from '../../src/config';
import { freePort } from '../../src/dev/ports';
import { createLogger } from '../../src/logging/logger';
import { createDatabase, type Database } from '../../src/store/database';
import { startApiServer, type RunningApi } from '../../src/api/server';
import { createClioSandbox, type ClioSandbox } from '../../src/sandboxes/clio';
import { lazyClient } from '../../src/temporal/connection';
import { dataConverterFromConfig } from '../../src/temporal/data-converter-from-config';

// The server keeps its Express app to itself; the inventory is read from the very app it serves.
const mockBuiltApps: Express[] = [];
jest.mock('../../src/api/app', () => {
  const actual = jest.requireActual<{ createApp: typeof createApp }>('../../src/api/app');
  return {
    ...actual,
    createApp: (deps: Parameters<typeof createApp>[0]) => {
      const app = actual.createApp(deps);
      mockBuiltApps.push(app);
      return app;
    },
  };
});

/**
 * Served, but not operations of this API, so not in the OpenAPI document. Each one must still be served (a stale
 * exception fails the test too).
 */
const UNDOCUMENTED = [
  // The script and Swagger UI files the /docs page loads.
  'GET /docs/init.js',
  'USE /docs/assets',
];

/** Path values each path parameter is tried with: what a Clio id accepts and refuses, and what it does not judge. */
const PATH_PROBES = [
  '9800001',
  '1',
  '0',
  '01',
  '-1',
  'abc',
  '1'.repeat(18),
  '1'.repeat(19),
  'sandbox',
  'timeCapture-sandbox-none',
];

interface Layer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean | undefined> };
  handle: { stack?: Layer[] };
}

/**
 * Every `METHOD /path` the app routes, in Express's own syntax (`:id`), from the router stack. A middleware mounted
 * at a path (not a router) serves whatever is under it: it is listed as `USE /path`, except at `/v1`, where the
 * API's authentication, rate limit and idempotency pass every request on to a route.
 */
function servedRoutes(app: Express): string[] {
  const out: string[] = [];
  const walk = (stack: Layer[], prefix: string): void => {
    for (const layer of stack) {
      if (typeof layer.rawPath !== 'string')
        throw new Error(`A layer under "${prefix}" has a path this inventory cannot read`);
      const at = layer.rawPath === '/' ? prefix : `${prefix}${layer.rawPath}`;
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods))
          if (on) out.push(`${method === '_all' ? 'ALL' : method.toUpperCase()} ${at}`);
      } else if (Array.isArray(layer.handle.stack)) walk(layer.handle.stack, at);
      else if (at !== prefix && at !== '/v1') out.push(`USE ${at}`);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return out;
}

/** Express's `:name` as OpenAPI's `{name}`; any other path syntax would need translating, so it fails here. */
function openApiRoute(route: string): string {
  const [method, p] = route.split(' ') as [string, string];
  if (!/^(\/[\w.-]+|\/:\w+)+$/.test(p)) throw new Error(`${route}: a path this test does not translate`);
  return `${method} ${p.replace(/:(\w+)/g, '{$1}')}`;
}

type JsonSchema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema: JsonSchema;
}
interface OpenApiDoc {
  paths: Record<string, Record<string, { parameters?: Parameter[] }>>;
}
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

describe('route inventory: what the app serves, the permission matrix and the OpenAPI document agree', () => {
  let clio: ClioSandbox;
  let db: Database;
  let api: RunningApi;
  let temporal: Client;
  let dir: string;
  let served: string[];
  let doc: OpenApiDoc;
  const ajv = new Ajv({ strict: false });

  beforeAll(async () => {
    clio = createClioSandbox();
    const clioPort = await clio.listen(0);
    dir = mkdtempSync(path.join(tmpdir(), 'clio-orch-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      CLIO_BASE_URL: `http://127.0.0.1:${clioPort}`,
      DATABASE_URL: `sqlite:${path.join(dir, 'service.db')}`,
      DATA_DIR: dir,
      // No Temporal server: what this suite asks of routes is decided before any workflow is reached, or is a 503.
      TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
      API_TEMPORAL_TIMEOUT_SECONDS: '1',
      API_RATE_LIMIT_PER_MINUTE: '100000',
    });
    db = await createDatabase(config.DATABASE_URL);
    temporal = lazyClient(config, dataConverterFromConfig(config), { retryBudgetMs: 1000 });
    api = await startApiServer({ config, logger: createLogger({ level: 'silent' }), temporal, db, port: 0 });
    expect(mockBuiltApps).toHaveLength(1);
    served = servedRoutes(mockBuiltApps[0]!);
    doc = (await (await fetch(`${api.url}/openapi.json`)).json()) as OpenApiDoc;
  });
  afterAll(async () => {
    await api?.close();
    await temporal?.connection.close();
    await db?.close();
    await clio?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function call(method: string, route: string, query = '') {
    const body = method === 'GET' || method === 'DELETE' ? undefined : '{}';
    return fetch(`${api.url}${route}${query}`, {
      method,
      headers: {
        authorization: 'Bearer sandbox-admin',
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body,
      redirect: 'manual',
    });
  }

  /** The fields a 400 names, or none for any other answer. */
  async function refusedFields(res: Response): Promise<{ field: string; reason: string }[]> {
    if (res.status !== 400) {
      await res.body?.cancel();
      return [];
    }
    const { error } = (await res.json()) as {
      error: { details?: { fields?: { field: string; reason: string }[] } };
    };
    return error.details?.fields ?? [];
  }

  function operations(): { route: string; method: string; path: string; parameters: Parameter[] }[] {
    return Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.entries(ops)
        .filter(([method]) => HTTP_METHODS.includes(method))
        .map(([method, op]) => ({
          route: `${method.toUpperCase()} ${p}`,
          method: method.toUpperCase(),
          path: p,
          parameters: op.parameters ?? [],
        })),
    );
  }

  test('the /v1 routes served are exactly the routes of the permission matrix', () => {
    const v1 = served.filter((r) => / \/v1(\/|$)/.test(r));
    expect([...v1].sort()).toEqual(
      Object.values(PERMISSIONS)
        .map((p) => p.route as string)
        .sort(),
    );
    // The same method and path registered twice: the second handler is never reached.
    expect(new Set(served).size).toBe(served.length);
  });

  test('every /v1 route checks its permission and query (requirePermission): an unknown query parameter is a 400', async () => {
    const v1 = served.filter((r) => / \/v1(\/|$)/.test(r));
    for (const route of v1) {
      const [method, p] = route.split(' ') as [string, string];
      const fields = await refusedFields(
        await call(method, p.replace(/:\w+/g, 'sandbox'), '?inventory_probe=1'),
      );
      expect({ route, fields }).toEqual({
        route,
        fields: expect.arrayContaining([{ field: 'query.inventory_probe', reason: 'is not a known field' }]),
      });
    }
  });

  test('every route served is an operation of /openapi.json, and every operation is served, but for the listed exceptions', () => {
    for (const exception of UNDOCUMENTED) expect(served).toContain(exception);
    const documentable = served.filter((r) => !UNDOCUMENTED.includes(r)).map(openApiRoute);
    expect([...documentable].sort()).toEqual(
      operations()
        .map((o) => o.route)
        .sort(),
    );
  });

  test('each path parameter is documented as the route enforces it: the same values refused', async () => {
    const mismatches: string[] = [];
    await Promise.all(
      operations().flatMap(({ route, method, path: p, parameters }) =>
        parameters
          .filter((param) => param.in === 'path')
          .flatMap((param) => {
            const documented = ajv.compile(param.schema);
            return PATH_PROBES.map(async (value) => {
              const url = p
                .replace(`{${param.name}}`, encodeURIComponent(value))
                .replace(/\{\w+\}/g, 'sandbox');
              const fields = await refusedFields(await call(method, url));
              const routeRefuses = fields.some((f) => f.field === `path.${param.name}`);
              const docRefuses = !documented(value);
              if (routeRefuses !== docRefuses)
                mismatches.push(
                  `${route} ${param.name}=${value}: the route ${routeRefuses ? 'refuses' : 'accepts'} it, the document ${docRefuses ? 'refuses' : 'accepts'} it`,
                );
            });
          }),
      ),
    );
    expect(mismatches.sort()).toEqual([]);
  });

  test('every {id} the route validates with the shared IdParam is documented with IdParam’s own schema', async () => {
    const idSchema = z.toJSONSchema(IdParam).properties!.id as JsonSchema;
    const idReason = IdParam.safeParse({ id: 'abc' }).error!.issues[0]!.message;
    const validatedWithIdParam: string[] = [];
    for (const { route, method, path: p, parameters } of operations()) {
      const id = parameters.find((param) => param.in === 'path' && param.name === 'id');
      if (!id) continue;
      const fields = await refusedFields(
        await call(method, p.replace('{id}', 'abc').replace(/\{\w+\}/g, 'sandbox')),
      );
      if (!fields.some((f) => f.field === 'path.id' && f.reason === idReason)) continue;
      validatedWithIdParam.push(route);
      expect({ route, schema: id.schema }).toEqual({ route, schema: expect.objectContaining(idSchema) });
    }
    // The reads and the bill PDF do: a walk that found none would prove nothing.
    expect(validatedWithIdParam).toEqual(
      expect.arrayContaining(['GET /v1/matters/{id}', 'GET /v1/bills/{id}/pdf']),
    );
  });

  test('documented query parameters are the route’s: known to it, and required and length-bounded as it requires', async () => {
    const mismatches: string[] = [];
    const checked: string[] = [];
    for (const { route, method, path: p, parameters } of operations()) {
      const query = parameters.filter((param) => param.in === 'query');
      if (query.length === 0) continue;
      checked.push(route);
      const url = p.replace(/\{\w+\}/g, 'sandbox');
      /** The reason the route gives for each query field it refuses. */
      const reasons = async (values: [Parameter, string][]): Promise<Map<string, string>> => {
        const qs = values.map(([param, v]) => `${param.name}=${encodeURIComponent(v)}`).join('&');
        const fields = await refusedFields(await call(method, url, qs ? `?${qs}` : ''));
        return new Map(fields.map((f) => [f.field.replace(/^query\./, ''), f.reason]));
      };

      for (const [name, reason] of await reasons(query.map((param) => [param, 'x'])))
        if (reason === 'is not a known field') mismatches.push(`${route}: the route does not know ${name}`);

      const required = [...(await reasons([]))].filter(([, r]) => r === 'is required').map(([n]) => n);
      const documentedRequired = query.filter((param) => param.required).map((param) => param.name);
      if (required.sort().join() !== documentedRequired.sort().join())
        mismatches.push(
          `${route}: the route requires [${required.join()}], the document [${documentedRequired.join()}]`,
        );

      // A bound is where the route's answer about the field changes: one reason at the bound, another past it.
      for (const bound of ['minLength', 'maxLength'] as const) {
        const step = bound === 'maxLength' ? 1 : -1;
        const bounded = query.filter(
          (param) => typeof param.schema[bound] === 'number' && (step > 0 || param.schema[bound] > 0),
        );
        if (bounded.length === 0) continue;
        const atLength = (param: Parameter, extra: number) =>
          'x'.repeat((param.schema[bound] as number) + extra);
        const at = await reasons(bounded.map((param) => [param, atLength(param, 0)]));
        const past = await reasons(bounded.map((param) => [param, atLength(param, step)]));
        for (const param of bounded) {
          const [atReason, pastReason] = [at.get(param.name), past.get(param.name)];
          if (pastReason === undefined || pastReason === atReason)
            mismatches.push(
              `${route}: ${param.name} at its documented ${bound} ${param.schema[bound] as number} is answered "${atReason ?? 'accepted'}", past it "${pastReason ?? 'accepted'}"`,
            );
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toEqual(
      expect.arrayContaining(['GET /v1/matters', 'GET /v1/audit', 'GET /oauth/clio/callback']),
    );
  });
});
