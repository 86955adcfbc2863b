import { PERMISSIONS } from '../../src/api/auth/permissions';
import { requestHash } from '../../src/api/idempotency';
import { ROLES, type Role } from '../../src/api/auth/principal';
import { createApiKeyRepository } from '../../src/api/auth/api-keys';
import { startSystem, type System } from '../helpers/system';

/** A request each route accepts far enough to get past authorization (its body may still be refused later). */
function requestFor(route: string): { method: string; path: string; body?: unknown } {
  const [method, pattern] = route.split(' ') as [string, string];
  const path = pattern
    .replace(':workflowId', 'timeCapture-sandbox-none')
    .replace(':tenant', 'sandbox')
    .replace(/:\w+/g, 'x');
  return { method, path, body: method === 'GET' ? undefined : {} };
}

describe('access control: every route × every role, API keys, tenants', () => {
  let sys: System;
  const sandboxKey: Record<Role, string> = {
    attorney: 'sandbox-attorney',
    paralegal: 'sandbox-paralegal',
    billing: 'sandbox-billing',
    admin: 'sandbox-admin',
  };

  beforeAll(async () => {
    sys = await startSystem({ API_RATE_LIMIT_PER_MINUTE: '100000', API_KEY_CACHE_SECONDS: '1' });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  function call(
    key: string | undefined,
    method: string,
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ) {
    return fetch(`${sys.api.url}${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...extraHeaders,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      // A route may answer with a redirect (OAuth start): its answer is the 302 itself.
      redirect: 'manual',
    });
  }

  const cases = Object.entries(PERMISSIONS).flatMap(([name, p]) =>
    ROLES.map((role) => [name, p.route, role, (p.roles as readonly Role[]).includes(role)] as const),
  );

  test.each(cases)('%s (%s) as %s: allowed=%s', async (_name, route, role, allowed) => {
    const { method, path, body } = requestFor(route);
    const res = await call(sandboxKey[role], method, path, body);
    const answer = (res.headers.get('content-type')?.includes('json') ? await res.json() : {}) as {
      error?: { code: string };
    };
    if (allowed) {
      expect(res.status).toBeLessThan(500);
      expect(res.status).not.toBe(403);
      expect(res.status).not.toBe(401);
      expect(answer.error?.code).not.toBe('route_not_found');
    } else {
      expect(res.status).toBe(403);
      expect(answer.error?.code).toBe('forbidden');
    }
  });

  test.each(Object.values(PERMISSIONS).map((p) => p.route))('%s without a key, then 401', async (route) => {
    const { method, path, body } = requestFor(route);
    expect((await call(undefined, method, path, body)).status).toBe(401);
  });

  test('when a key is created with the store, then it works until revoked, and only its hash is stored', async () => {
    const keys = createApiKeyRepository(sys.db.knex);
    const { key, info } = await keys.create({ tenant: 'sandbox', role: 'paralegal', name: 'Test paralegal' });
    const rows = (await sys.db.knex('api_keys').where({ id: info.id })) as Record<string, string>[];
    const secret = /^co_[a-z0-9]+_(.+)$/.exec(key)![1]!;
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect((await call(key, 'GET', '/v1/workflows/timeCapture-sandbox-none')).status).toBe(404);
    const tampered = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    expect((await call(tampered, 'GET', '/v1/workflows/timeCapture-sandbox-none')).status).toBe(401);
    await keys.revoke(info.id);
    // A resolved key is trusted for API_KEY_CACHE_SECONDS (1 s in this suite); then the revocation holds.
    const revokedAt = Date.now();
    let status = 0;
    while (Date.now() - revokedAt < 5_000) {
      status = (await call(key, 'GET', '/v1/workflows/timeCapture-sandbox-none')).status;
      if (status === 401) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(2_500);
  });

  test("when a key of another tenant asks for this tenant's workflow, then 404, not 403", async () => {
    const res = await call('sandbox-attorney', 'POST', '/v1/time-entries', {
      entries: [{ matterId: '1', date: '2026-11-02', durationSeconds: 60, description: 'tenant check' }],
    });
    const { workflowId } = (await res.json()) as { workflowId: string };
    const { key } = await createApiKeyRepository(sys.db.knex).create({
      tenant: 'otherfirm',
      role: 'admin',
      name: 'Other firm admin',
    });
    expect((await call('sandbox-admin', 'GET', `/v1/workflows/${workflowId}`)).status).toBe(200);
    const foreign = await call(key, 'GET', `/v1/workflows/${workflowId}`);
    expect(foreign.status).toBe(404);
  });

  test('when a key exceeds its rate, then 429 with Retry-After', async () => {
    const limited = await startSystem({ API_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${limited.api.url}/v1/workflows/x`, {
          headers: { authorization: 'Bearer sandbox-admin' },
        });
        statuses.push(res.status);
        if (res.status === 429) retryAfter = res.headers.get('retry-after');
      }
      expect(statuses.slice(0, 3)).toEqual([404, 404, 404]);
      expect(statuses.slice(3)).toEqual([429, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
    } finally {
      await limited.stop();
    }
  });

  test('answers carry security headers, and /metrics counts requests by route and status', async () => {
    const res = await fetch(`${sys.api.url}/healthz`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
    const metrics = await (await fetch(`${sys.api.url}/metrics`)).text();
    expect(metrics).toMatch(
      /http_requests_total\{method="POST",route="\/v1\/time-entries",status="202"\} \d+/,
    );
    expect(metrics).toMatch(/workflow_starts_total\{type="timeCapture"\} \d+/);
  });

  test.each([
    'POST /v1/intakes',
    'POST /v1/document-links',
    'POST /v1/docket-events',
    'POST /v1/billing-runs',
    'POST /v1/trust-transfers',
    'GET /v1/bills/1/ledes',
    'GET /v1/trust/reconciliation',
  ])(
    '%s, a business workflow route not served yet (README): 404 route_not_found, and the key is not spent',
    async (route) => {
      const [method, path] = route.split(' ') as [string, string];
      const send = () =>
        fetch(`${sys.api.url}${path}`, {
          method,
          headers: {
            authorization: 'Bearer sandbox-admin',
            ...(method === 'POST'
              ? { 'content-type': 'application/json', 'idempotency-key': `not-yet-${path}` }
              : {}),
          },
          body: method === 'POST' ? '{}' : undefined,
        });
      for (const res of [await send(), await send()]) {
        expect(res.status).toBe(404);
        expect(res.headers.get('idempotent-replayed')).toBeNull();
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('route_not_found');
      }
    },
  );

  test('an answer kept under an Idempotency-Key is replayed only to a role allowed to make the request', async () => {
    const entries = {
      entries: [{ matterId: '1', date: '2026-11-02', durationSeconds: 60, description: 'replay by role' }],
    };
    const timeKey = { 'idempotency-key': `roles-time-${Date.now()}` };
    expect((await call('sandbox-attorney', 'POST', '/v1/time-entries', entries, timeKey)).status).toBe(202);
    const billing = await call('sandbox-billing', 'POST', '/v1/time-entries', entries, timeKey);
    expect(billing.status).toBe(403);
    expect(billing.headers.get('idempotent-replayed')).toBeNull();

    const subscription = { url: 'http://127.0.0.1:9/hook', events: ['workflow.completed'] };
    const hookKey = { 'idempotency-key': `roles-hook-${Date.now()}` };
    const created = await call('sandbox-admin', 'POST', '/v1/webhooks', subscription, hookKey);
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as { secret: string };
    const paralegal = await call('sandbox-paralegal', 'POST', '/v1/webhooks', subscription, hookKey);
    expect(paralegal.status).toBe(403);
    expect(await paralegal.text()).not.toContain(secret);
    // The admin who created it still gets the first answer again, secret included: that is what the key is for.
    const again = await call('sandbox-admin', 'POST', '/v1/webhooks', subscription, hookKey);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as { secret: string }).secret).toBe(secret);
  });

  test.each(['/v1/time-entries', '/v1/webhooks', '/v1/tenants/sandbox/session/mfa'])(
    'POST %s with a body of 8,000 nested brackets and an Idempotency-Key: a 400 naming the body, not a 500',
    async (path) => {
      const res = await fetch(`${sys.api.url}${path}`, {
        method: 'POST',
        headers: {
          authorization: 'Bearer sandbox-admin',
          'content-type': 'application/json',
          'idempotency-key': `deep-${path}`,
        },
        body: `{"entries":${'['.repeat(8000)}${']'.repeat(8000)}}`,
      });
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as { error: { details: { fields: { field: string }[] } } };
      expect(error.details.fields).toEqual([{ field: 'body', reason: 'nests deeper than 32 levels' }]);
    },
  );

  test.each([
    ['GET', '/v1/matters/%E0'],
    ['GET', '/v1/workflows/%E0'],
    ['DELETE', '/v1/webhooks/%E0'],
  ])('%s %s (a path that is not valid percent-encoding): a 400 naming the path', async (method, path) => {
    const res = await call('sandbox-admin', method, path);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { details: { fields: unknown[] } } };
    expect(error.details.fields).toEqual([{ field: 'path', reason: 'is not valid percent-encoding' }]);
  });

  test.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'Bearer %s (a name every JavaScript object has) is not a sandbox key: 401',
    async (key) => {
      expect((await call(key, 'GET', '/v1/matters')).status).toBe(401);
    },
  );

  test('the request hash kept with an idempotent answer is keyed: a guessable body cannot be found from the table', async () => {
    const body = {
      entries: [{ matterId: '1', date: '2026-11-02', durationSeconds: 60, description: 'keyed hash' }],
    };
    const key = `keyed-${Date.now()}`;
    const res = await call('sandbox-attorney', 'POST', '/v1/time-entries', body, { 'idempotency-key': key });
    expect(res.status).toBe(202);
    const row = (await sys.db.knex('idempotency_keys').where({ key }).first()) as { request_hash: string };
    expect(row.request_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.request_hash).not.toBe(requestHash('POST', '/v1/time-entries', body));
    const again = await call('sandbox-attorney', 'POST', '/v1/time-entries', body, {
      'idempotency-key': key,
    });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });
});
