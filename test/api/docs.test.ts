import { type Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { startSystem, type System } from '../helpers/system';

describe('API documentation', () => {
  let sys: System;
  let browser: Browser;
  beforeAll(async () => {
    sys = await startSystem();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  // Which operations it holds is route-inventory.test.ts's to check: it compares them with the app's router.
  test('when /openapi.json is fetched, then it is OpenAPI 3.1', async () => {
    const doc = (await (await fetch(`${sys.api.url}/openapi.json`)).json()) as { openapi: string };
    expect(doc.openapi).toBe('3.1.0');
  });

  test('when /docs is opened in Chromium, then the page renders every route from local assets only', async () => {
    const page = await browser.newPage();
    const external: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(sys.api.url)) external.push(req.url());
    });
    // What a visitor's console would show: a failed request (the browser's own /favicon.ico), a script error.
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${sys.api.url}/docs`);
    const doc = (await (await fetch(`${sys.api.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        await page.locator(`.opblock-${method} [data-path="${path}"]`).first().waitFor({ timeout: 15_000 });
      }
    }
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('/docs/assets serves the files the page loads, cacheable as static files; the rest of swagger-ui-dist is the API’s 404', async () => {
    for (const [file, type] of [
      ['swagger-ui.css', 'text/css'],
      ['swagger-ui-bundle.js', 'text/javascript'],
    ] as const) {
      const res = await fetch(`${sys.api.url}/docs/assets/${file}`);
      expect({ file, status: res.status, type: res.headers.get('content-type') }).toEqual({
        file,
        status: 200,
        type: expect.stringContaining(type),
      });
      expect(res.headers.get('cache-control')).toBe('public, max-age=0');
      expect(res.headers.get('etag')).toBeTruthy();
      expect(res.headers.get('last-modified')).toBeTruthy();
      await res.body?.cancel();
    }
    // Its version, its Node entry points, its source maps, its own demo pages.
    for (const file of [
      'package.json',
      'index.js',
      'absolute-path.js',
      'swagger-ui-bundle.js.map',
      'swagger-ui.css.map',
      'index.html',
      'swagger-initializer.js',
      '',
    ]) {
      const res = await fetch(`${sys.api.url}/docs/assets/${file}`);
      expect({ file, status: res.status, type: res.headers.get('content-type') }).toEqual({
        file,
        status: 404,
        type: expect.stringContaining('application/json'),
      });
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('route_not_found');
    }
  });

  test('every POST under /v1 documents the Idempotency-Key the API honours on it: the header (one shared definition), the replayed answer’s Idempotent-Replayed header and the 409s', async () => {
    type Op = {
      parameters?: ({ $ref: string } | { name: string; in: string })[];
      responses: Record<string, { description: string; headers?: Record<string, unknown> }>;
    };
    const doc = (await (await fetch(`${sys.api.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Op>>;
      components: { parameters: Record<string, { name: string; in: string }> };
    };
    const resolve = (p: { $ref: string } | { name: string; in: string }) =>
      '$ref' in p ? doc.components.parameters[p.$ref.replace('#/components/parameters/', '')]! : p;
    const posts = Object.entries(doc.paths)
      .filter(([path, ops]) => path.startsWith('/v1/') && ops.post)
      .map(([path, ops]) => ({ path, op: ops.post! }));
    // The routes the idempotency middleware serves today (route-inventory.test.ts keeps the document complete).
    expect(posts.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        '/v1/time-entries',
        '/v1/webhooks',
        '/v1/tenants/{tenant}/session/mfa',
        '/v1/tenants/{tenant}/session/retry',
      ]),
    );
    for (const { path, op } of posts) {
      const header = (op.parameters ?? []).find((p) => {
        const param = resolve(p);
        return param.in === 'header' && param.name.toLowerCase() === 'idempotency-key';
      });
      expect({ path, header: header && '$ref' in header ? header.$ref : header }).toEqual({
        path,
        header: '#/components/parameters/IdempotencyKey',
      });
      const success = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
      expect(success.length).toBeGreaterThan(0);
      for (const [status, answer] of success)
        expect({ path, status, headers: Object.keys(answer.headers ?? {}) }).toEqual({
          path,
          status,
          headers: expect.arrayContaining(['Idempotent-Replayed']),
        });
      expect({ path, conflict: op.responses['409']?.description }).toEqual({
        path,
        conflict: expect.stringMatching(/idempotency_key_reused.*idempotency_key_in_progress/s),
      });
    }
  });

  test('the read routes document what they answer and take: 409 before Clio is connected, Clio ids, bill search by number', async () => {
    type Op = {
      responses: Record<string, unknown>;
      parameters: { name: string; in: string; schema: { pattern?: string } }[];
    };
    const doc = (await (await fetch(`${sys.api.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Op>>;
    };
    for (const path of ['/v1/matters', '/v1/matters/{id}', '/v1/bills', '/v1/bills/{id}'])
      expect(Object.keys(doc.paths[path]!.get!.responses)).toContain('409');
    const id = doc.paths['/v1/matters/{id}']!.get!.parameters.find((p) => p.in === 'path' && p.name === 'id');
    expect(new RegExp(id!.schema.pattern!).test('9800001')).toBe(true);
    expect(new RegExp(id!.schema.pattern!).test('abc')).toBe(false);
    const query = doc.paths['/v1/bills']!.get!.parameters.find((p) => p.name === 'query');
    expect(new RegExp(query!.schema.pattern!).test('INV-1001')).toBe(false);
  });
});
