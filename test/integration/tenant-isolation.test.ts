import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { WorkflowNotFoundError } from '@temporalio/client';
import { createApiKeyRepository } from '../../src/api/auth/api-keys';
import { PERMISSIONS } from '../../src/api/auth/permissions';
import { clioSessionWorkflowId } from '../../workflows/shared/session-messages';
import { startSystem, waitForWorkflow, type System } from '../helpers/system';

/**
 * Tenant A is the sandbox tenant (Clio connected, fixed sandbox keys); tenant B is another firm with an admin key
 * of its own in the store and no Clio connection. B's admin may do everything on every route, so whatever
 * keeps A's data from B here is the tenant boundary, never the role.
 */
const A = 'sandbox';
const B = 'otherfirm';

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  code?: string;
  fields?: string[];
}

describe('tenant isolation: a key of one tenant never reads or acts on another tenant’s objects', () => {
  let sys: System;
  let bKey: string;
  let receiver: Server;
  const delivered: string[] = [];
  const tag = randomUUID();

  /** Tenant A's real objects, created through the API. */
  const a = {
    webhook: { id: '', url: '', secret: '' },
    workflowId: '',
    runId: '',
    idempotencyKey: `isolation-${tag}`,
    timeEntries: {} as unknown,
    deliveryIds: [] as string[],
    auditIds: [] as string[],
    auditCursor: '',
    /** A page cursor of each Clio list, given to A, keyed by path. */
    listCursors: {} as Record<string, string>,
    ids: { matter: '', contact: '', bill: '' },
  };
  /** B's own subscription: its list must show it, so an empty list cannot pass for an isolated one. */
  let bWebhookId = '';

  /** Strings that only A's data contains: none may appear in any answer B gets. */
  const markersOfA = () =>
    [
      a.webhook.id,
      a.webhook.url,
      a.webhook.secret,
      a.workflowId,
      a.runId,
      tag,
      ...a.deliveryIds,
      ...a.auditIds,
    ].filter((m) => m.length >= 8);

  async function call(
    key: string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const res = await fetch(`${sys.api.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      // OAuth start answers with a redirect: the 302 is its answer.
      redirect: 'manual',
    });
    const text = await res.text();
    let parsed: { error?: { code?: string; details?: { fields?: { field: string }[] } } } = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      // Not JSON (a PDF, an empty 204): the status and text say enough.
    }
    return {
      status: res.status,
      headers: res.headers,
      text,
      code: parsed.error?.code,
      fields: parsed.error?.details?.fields?.map((f) => f.field),
    };
  }
  const asA = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    call('sandbox-admin', method, path, body, headers);
  const asB = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    call(bKey, method, path, body, headers);

  function expectNothingOfA(answer: Answer) {
    for (const marker of markersOfA()) expect(answer.text).not.toContain(marker);
  }

  /**
   * B naming A's object gets exactly what B gets naming one that exists nowhere: never a 403 (which would say
   * "it exists, but not for you"), never a 2xx, nothing of A's in the body.
   */
  async function expectForeignLikeAbsent(
    method: string,
    foreignPath: string,
    absentPath: string,
    status: number,
    body?: unknown,
  ) {
    const foreign = await asB(method, foreignPath, body);
    const absent = await asB(method, absentPath, body);
    expect({ status: foreign.status, code: foreign.code }).toEqual({
      status: absent.status,
      code: absent.code,
    });
    expect(foreign.status).toBe(status);
    expectNothingOfA(foreign);
    return foreign;
  }

  /** A cursor A was given, replayed by B: refused like a cursor the list never gave out. */
  async function expectForeignCursorRefused(path: string, cursor: string) {
    expect(cursor).not.toBe('');
    // The cursor works for A, so B's 400 is about whose cursor it is, not a broken one.
    expect((await asA('GET', `${path}?limit=1&cursor=${encodeURIComponent(cursor)}`)).status).toBe(200);
    const foreign = await asB('GET', `${path}?limit=1&cursor=${encodeURIComponent(cursor)}`);
    expect(foreign.status).toBe(400);
    expect(foreign.code).toBe('invalid_request');
    expect(foreign.fields).toEqual(['query.cursor']);
    expectNothingOfA(foreign);
  }

  /** A Clio list: B reads through B's own Clio connection (none here), never A's, with or without A's cursor. */
  async function expectClioListIsolated(path: string) {
    await expectForeignCursorRefused(path, a.listCursors[path] ?? '');
    const own = await asB('GET', `${path}?limit=5`);
    expect(own.status).toBe(409);
    expect(own.code).toBe('clio_not_connected');
    expectNothingOfA(own);
  }

  beforeAll(async () => {
    sys = await startSystem({ API_RATE_LIMIT_PER_MINUTE: '100000' });
    ({ key: bKey } = await createApiKeyRepository(sys.db.knex).create({
      tenant: B,
      role: 'admin',
      name: 'Other firm admin',
    }));

    receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        delivered.push(String(req.headers['x-webhook-id']));
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook-${tag}`;
    const sub = await asA('POST', '/v1/webhooks', { url: hookUrl, events: ['workflow.completed'] });
    expect(sub.status).toBe(201);
    a.webhook = JSON.parse(sub.text) as typeof a.webhook;
    const bSub = await asB('POST', '/v1/webhooks', {
      url: `http://127.0.0.1:9/b-${randomUUID()}`,
      // An event nothing here raises: B's own runs (they fail, without Clio) send nothing to a dead port.
      events: ['billing_run.completed'],
    });
    expect(bSub.status).toBe(201);
    bWebhookId = (JSON.parse(bSub.text) as { id: string }).id;

    const matters = await asA('GET', '/v1/matters?limit=1');
    expect(matters.status).toBe(200);
    const matterPage = JSON.parse(matters.text) as { data: { id: string }[] };
    a.ids.matter = String(matterPage.data[0]!.id);
    const contacts = JSON.parse((await asA('GET', '/v1/contacts?limit=1')).text) as {
      data: { id: string }[];
    };
    a.ids.contact = String(contacts.data[0]!.id);
    const bills = JSON.parse((await asA('GET', '/v1/bills?limit=1')).text) as { data: { id: string }[] };
    a.ids.bill = String(bills.data[0]!.id);
    for (const path of ['/v1/matters', '/v1/contacts', '/v1/time-entries', '/v1/bills']) {
      const page = JSON.parse((await asA('GET', `${path}?limit=1`)).text) as { nextCursor: string | null };
      a.listCursors[path] = page.nextCursor ?? '';
    }

    // Two entries: two audit records, so A's audit list has a second page and a cursor to it.
    a.timeEntries = {
      entries: [1, 2].map((n) => ({
        matterId: a.ids.matter,
        date: '2026-11-03',
        durationSeconds: 60 * n,
        description: `Isolation ${tag} ${n}`,
      })),
    };
    const started = await call('sandbox-attorney', 'POST', '/v1/time-entries', a.timeEntries, {
      'idempotency-key': a.idempotencyKey,
    });
    expect(started.status).toBe(202);
    const run = JSON.parse(started.text) as { workflowId: string; runId: string; statusUrl: string };
    a.workflowId = run.workflowId;
    a.runId = run.runId;
    expect((await waitForWorkflow(sys.api.url, run.statusUrl)).status).toBe('COMPLETED');

    const deadline = Date.now() + 30_000;
    for (;;) {
      const log = JSON.parse((await asA('GET', `/v1/webhooks/${a.webhook.id}/deliveries`)).text) as {
        data: { deliveryId: string }[];
      };
      a.deliveryIds = log.data.map((d) => d.deliveryId);
      if (a.deliveryIds.length > 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(a.deliveryIds).toHaveLength(1);

    const audit = JSON.parse((await asA('GET', `/v1/audit?workflowId=${a.workflowId}`)).text) as {
      data: { id: string; hash: string }[];
    };
    expect(audit.data).toHaveLength(2);
    a.auditIds = audit.data.flatMap((r) => [r.id, r.hash]);
    a.auditCursor =
      (JSON.parse((await asA('GET', '/v1/audit?limit=1')).text) as { nextCursor: string | null })
        .nextCursor ?? '';
  });
  afterAll(async () => {
    // Without a receiver (beforeAll failed before it), `receiver?.close(r)` never calls r: afterAll would hang and
    // leave the system (its Temporal server) running.
    if (receiver) await new Promise((r) => receiver.close(r));
    await sys?.stop();
  });

  /**
   * One case per route of the permission matrix: every route reads or acts on some tenant's data, so a route
   * added to the matrix without a case here fails below instead of going untested.
   */
  const cases: Record<string, () => Promise<void>> = {
    'GET /v1/workflows/:workflowId': async () => {
      expect((await asA('GET', `/v1/workflows/${a.workflowId}`)).status).toBe(200);
      await expectForeignLikeAbsent(
        'GET',
        `/v1/workflows/${a.workflowId}`,
        `/v1/workflows/timeCapture-${B}-doesnotexist`,
        404,
      );
    },

    'POST /v1/time-entries': async () => {
      // A's Idempotency-Key and body from B: B's own request, never A's stored answer or A's workflow.
      const answer = await asB('POST', '/v1/time-entries', a.timeEntries, {
        'idempotency-key': a.idempotencyKey,
      });
      expect(answer.status).toBe(202);
      expect(answer.headers.get('idempotent-replayed')).toBeNull();
      expectNothingOfA(answer);
      const { workflowId } = JSON.parse(answer.text) as { workflowId: string };
      expect((await asB('GET', `/v1/workflows/${workflowId}`)).status).toBe(200);
      expect((await asA('GET', `/v1/workflows/${workflowId}`)).status).toBe(404);
    },

    'GET /v1/matters': () => expectClioListIsolated('/v1/matters'),
    'GET /v1/contacts': () => expectClioListIsolated('/v1/contacts'),
    'GET /v1/time-entries': () => expectClioListIsolated('/v1/time-entries'),
    'GET /v1/bills': () => expectClioListIsolated('/v1/bills'),

    // Clio records are read through the caller's own Clio connection. B has none in this system (one Clio
    // sandbox is one firm: a second connection would be to A's firm), so "absent" is "not connected" here,
    // for A's ids exactly as for ids that exist nowhere.
    'GET /v1/matters/:id': async () => {
      await expectForeignLikeAbsent('GET', `/v1/matters/${a.ids.matter}`, '/v1/matters/987654321', 409);
    },
    'GET /v1/contacts/:id': async () => {
      await expectForeignLikeAbsent('GET', `/v1/contacts/${a.ids.contact}`, '/v1/contacts/987654321', 409);
    },
    'GET /v1/bills/:id': async () => {
      await expectForeignLikeAbsent('GET', `/v1/bills/${a.ids.bill}`, '/v1/bills/987654321', 409);
    },
    'GET /v1/bills/:id/pdf': async () => {
      const foreign = await expectForeignLikeAbsent(
        'GET',
        `/v1/bills/${a.ids.bill}/pdf`,
        '/v1/bills/987654321/pdf',
        409,
      );
      expect(foreign.text).not.toContain('%PDF-');
      // B's read did not reach A's web session: nothing started or signed in for A on B's behalf.
      await expect(sys.temporal.workflow.getHandle(clioSessionWorkflowId(A)).describe()).rejects.toThrow(
        WorkflowNotFoundError,
      );
    },

    'GET /v1/tenants/:tenant/session': async () => {
      expect((await asB('GET', `/v1/tenants/${B}/session`)).status).toBe(200);
      await expectForeignLikeAbsent('GET', `/v1/tenants/${A}/session`, '/v1/tenants/nosuchfirm/session', 404);
    },
    'POST /v1/tenants/:tenant/session/mfa': async () => {
      await expectForeignLikeAbsent(
        'POST',
        `/v1/tenants/${A}/session/mfa`,
        '/v1/tenants/nosuchfirm/session/mfa',
        404,
        { code: '123456' },
      );
      expect(await sys.db.knex('portal_mfa_codes').where({ tenant: A })).toEqual([]);
    },
    'POST /v1/tenants/:tenant/session/retry': async () => {
      await expectForeignLikeAbsent(
        'POST',
        `/v1/tenants/${A}/session/retry`,
        '/v1/tenants/nosuchfirm/session/retry',
        404,
        {},
      );
      // A retry would start A's session workflow (a sign-in as A's web-app user): none was started.
      await expect(sys.temporal.workflow.getHandle(clioSessionWorkflowId(A)).describe()).rejects.toThrow(
        WorkflowNotFoundError,
      );
      expect(JSON.parse((await asA('GET', `/v1/tenants/${A}/session`)).text)).toMatchObject({
        state: 'not_started',
      });
    },
    'GET /v1/tenants/:tenant/oauth/start': async () => {
      const foreign = await expectForeignLikeAbsent(
        'GET',
        `/v1/tenants/${A}/oauth/start`,
        '/v1/tenants/nosuchfirm/oauth/start',
        404,
      );
      expect(foreign.headers.get('location')).toBeNull();
    },

    'DELETE /v1/tenants/:tenant/oauth': async () => {
      const before = await sys.db.knex('clio_oauth_tokens').where({ tenant: A }).select();
      await expectForeignLikeAbsent('DELETE', `/v1/tenants/${A}/oauth`, '/v1/tenants/nosuchfirm/oauth', 404);
      expect(await sys.db.knex('clio_oauth_tokens').where({ tenant: A }).select()).toEqual(before);
    },

    'GET /v1/audit': async () => {
      await expectForeignCursorRefused('/v1/audit', a.auditCursor);
      const own = await asB('GET', '/v1/audit?limit=500');
      expect(own.status).toBe(200);
      expectNothingOfA(own);
      // A's filter values from B: B's trail filtered, never A's.
      const filtered = await asB('GET', `/v1/audit?workflowId=${a.workflowId}`);
      expect(JSON.parse(filtered.text)).toEqual({ data: [], nextCursor: null });
    },

    'POST /v1/webhooks': async () => {
      // A's Idempotency-Key and body from B: a subscription of B's own, never A's stored answer (its secret).
      const body = { url: a.webhook.url, events: ['workflow.completed'] };
      const key = `webhook-${tag}`;
      const first = await asA('POST', '/v1/webhooks', body, { 'idempotency-key': key });
      expect(first.status).toBe(201);
      const firstOfA = JSON.parse(first.text) as { id: string; secret: string };
      const answer = await asB('POST', '/v1/webhooks', body, { 'idempotency-key': key });
      expect(answer.status).toBe(201);
      expect(answer.headers.get('idempotent-replayed')).toBeNull();
      const ofB = JSON.parse(answer.text) as { id: string; secret: string };
      expect(ofB.id).not.toBe(firstOfA.id);
      expect(ofB.secret).not.toBe(firstOfA.secret);
      expect(answer.text).not.toContain(a.webhook.secret);
      expect((await asA('DELETE', `/v1/webhooks/${firstOfA.id}`)).status).toBe(204);
      expect((await asB('DELETE', `/v1/webhooks/${ofB.id}`)).status).toBe(204);
    },
    'GET /v1/webhooks': async () => {
      const own = await asB('GET', '/v1/webhooks');
      expect(own.status).toBe(200);
      const ids = (JSON.parse(own.text) as { data: { id: string }[] }).data.map((s) => s.id);
      expect(ids).toContain(bWebhookId);
      expect(ids).not.toContain(a.webhook.id);
      expectNothingOfA(own);
    },
    'GET /v1/webhooks/:id/deliveries': async () => {
      await expectForeignLikeAbsent(
        'GET',
        `/v1/webhooks/${a.webhook.id}/deliveries`,
        '/v1/webhooks/wh_doesnotexist/deliveries',
        404,
      );
      expect((await asB('GET', `/v1/webhooks/${bWebhookId}/deliveries`)).status).toBe(200);
    },
    'DELETE /v1/webhooks/:id': async () => {
      await expectForeignLikeAbsent(
        'DELETE',
        `/v1/webhooks/${a.webhook.id}`,
        '/v1/webhooks/wh_doesnotexist',
        404,
      );
      // Still A's, still there, still delivering.
      const listed = JSON.parse((await asA('GET', '/v1/webhooks')).text) as {
        data: { id: string; disabledAt: string | null }[];
      };
      expect(listed.data.find((s) => s.id === a.webhook.id)).toMatchObject({ disabledAt: null });
    },
  };

  test.each(Object.entries(PERMISSIONS).map(([name, p]) => [p.route, name] as const))(
    "%s (%s) with tenant B's admin key: nothing of tenant A's",
    async (route) => {
      const check = cases[route];
      if (!check) throw new Error(`No tenant-isolation case for ${route}: add one to this file`);
      await check();
    },
  );

  test('every case names a route of the permission matrix', () => {
    const routes = new Set<string>(Object.values(PERMISSIONS).map((p) => p.route));
    expect(Object.keys(cases).filter((r) => !routes.has(r))).toEqual([]);
  });
});
