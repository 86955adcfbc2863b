import { randomUUID } from 'node:crypto';
import { createApiKeyRepository } from '../../src/api/auth/api-keys';
import { PERMISSIONS } from '../../src/api/auth/permissions';
import { clioSessionWorkflowId } from '../../workflows/shared/session-messages';
import {
  sandboxControl,
  startSessionSystem,
  waitForSession,
  type SessionSystem,
} from '../browser/session-system';

const REPLAYED = 'idempotent-replayed';

/** Every character percent-encoded: the same value to a server that decodes the path as it must. */
const percentEncoded = (value: string) =>
  [...Buffer.from(value)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');

interface Answer {
  status: number;
  replayed: string | null;
  body: unknown;
  code?: string;
}

/**
 * Idempotency-Key on every POST of the permission matrix. An accepted request's answer is kept under the key:
 * the same key and body get it again (marked replayed) and start or signal nothing; another body is a 409
 * `idempotency_key_reused`. A refused request is not kept (idempotency.ts; README: a code sent to a session not
 * waiting for one "is a 409 and is not kept", a 503 "is not kept"): sent again it is decided again, and the key
 * stays free for the request once it can be accepted.
 */
describe('Idempotency-Key on every POST route (real Temporal, real Chromium for the session)', () => {
  let sys: SessionSystem;
  let sandboxTenant: string;
  /** An attorney of a tenant with no Clio web-app credentials: its session fails, which a retry needs. */
  let failedTenantKey: string;
  const failedTenant = 'retryfirm';
  let matterId: string;

  beforeAll(async () => {
    // SMS sign-ins: the session waits for a code a person sends through the API, the MFA route's accepted case.
    sys = await startSessionSystem({
      CLIO_PORTAL_USERNAME: 'clerk@sandbox.test',
      CLIO_PORTAL_TOTP_SECRET: '',
    });
    sandboxTenant = sys.config.DEFAULT_TENANT;
    ({ key: failedTenantKey } = await createApiKeyRepository(sys.db.knex).create({
      tenant: failedTenant,
      role: 'attorney',
      name: 'Retry firm attorney',
    }));
    const dump = (await sandboxControl(sys, 'GET', '/_sandbox/dump')) as { matters: { id: number }[] };
    matterId = String(dump.matters[0]!.id);
  });
  afterAll(async () => {
    await sys?.temporal.workflow
      .getHandle(clioSessionWorkflowId(failedTenant))
      .terminate('test over')
      .catch(() => undefined);
    await sys?.stop();
  });

  async function post(
    path: string,
    body: unknown,
    idempotencyKey: string,
    key = 'sandbox-admin',
  ): Promise<Answer> {
    const res = await fetch(`${sys.api.url}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'idempotency-key': idempotencyKey,
      },
      body: JSON.stringify(body),
    });
    const parsed = (await res.json()) as { error?: { code: string } };
    return {
      status: res.status,
      replayed: res.headers.get(REPLAYED),
      body: parsed,
      code: parsed.error?.code,
    };
  }

  /** Every workflow start the API counted, whatever its type. */
  async function workflowStarts(): Promise<number> {
    const text = await (await fetch(`${sys.api.url}/metrics`)).text();
    return [...text.matchAll(/^workflow_starts_total\{[^}]*\} (\d+)$/gm)].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
  }

  /**
   * Signals of one name sent to the tenant's session: the ones the route sends (workers and portal activities send
   * their own `ensure` signals at any time).
   */
  async function signalsTo(tenant: string, signalName: 'mfaCode' | 'retry'): Promise<number> {
    const history = await sys.temporal.workflow.getHandle(clioSessionWorkflowId(tenant)).fetchHistory();
    return (history.events ?? []).filter(
      (e) => e.workflowExecutionSignaledEventAttributes?.signalName === signalName,
    ).length;
  }

  /**
   * The route's one signal, once it is in history: Temporal holds back a signal that arrives while a workflow
   * task is running and writes it when the task completes, so right after the answer it may not show yet.
   */
  async function oneSignalTo(tenant: string, signalName: 'mfaCode' | 'retry'): Promise<number> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const n = await signalsTo(tenant, signalName);
      if (n >= 1 || Date.now() > deadline) return n;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * The key's first answer, then the same request again: the same status and body, marked replayed, with nothing
   * started (`workflow_starts_total`) or done (`state`) by the replay, also when the path is spelled otherwise
   * (`respelled`: the same route, which Express matches whatever the case of its fixed parts and with or without a
   * trailing slash, and the same parameter values). Then another body under the key, or the key on a path with
   * another parameter value (`otherParams`, another request): 409.
   */
  async function expectAcceptedAnswerKept(
    path: string,
    body: unknown,
    otherBody: unknown,
    expected: number,
    opts: {
      key?: string;
      state?: () => Promise<unknown>;
      idempotencyKey?: string;
      respelled: string[];
      otherParams?: string[];
    },
  ): Promise<Answer> {
    const idempotencyKey = opts.idempotencyKey ?? randomUUID();
    const first = await post(path, body, idempotencyKey, opts.key);
    expect(first.status).toBe(expected);
    expect(first.replayed).toBeNull();
    const starts = await workflowStarts();
    const state = await opts.state?.();

    for (const spelled of [path, ...opts.respelled]) {
      const again = await post(spelled, body, idempotencyKey, opts.key);
      expect({ spelled, status: again.status, body: again.body }).toEqual({
        spelled,
        status: first.status,
        body: first.body,
      });
      expect(again.replayed).toBe('true');
      expect(await workflowStarts()).toBe(starts);
      expect(await opts.state?.()).toEqual(state);
    }

    for (const otherPath of opts.otherParams ?? []) {
      const other = await post(otherPath, body, idempotencyKey, opts.key);
      expect({ otherPath, status: other.status, code: other.code }).toEqual({
        otherPath,
        status: 409,
        code: 'idempotency_key_reused',
      });
      expect(await workflowStarts()).toBe(starts);
      expect(await opts.state?.()).toEqual(state);
    }

    const other = await post(path, otherBody, idempotencyKey, opts.key);
    expect(other.status).toBe(409);
    expect(other.code).toBe('idempotency_key_reused');
    expect(await workflowStarts()).toBe(starts);
    expect(await opts.state?.()).toEqual(state);
    return first;
  }

  /** A refused first answer, sent again: decided again (the same refusal while nothing changed), not replayed. */
  async function expectRefusalNotKept(
    path: string,
    body: unknown,
    otherBody: unknown,
    expected: { status: number; code: string },
    otherExpected: { status: number; code: string },
    key?: string,
  ): Promise<string> {
    const idempotencyKey = randomUUID();
    const starts = await workflowStarts();
    const first = await post(path, body, idempotencyKey, key);
    expect({ status: first.status, code: first.code }).toEqual(expected);
    const again = await post(path, body, idempotencyKey, key);
    expect({ status: again.status, body: again.body }).toEqual({ status: first.status, body: first.body });
    expect(again.replayed).toBeNull();
    // Nothing was kept under the key, so another body is not "the key reused": it gets its own answer.
    const other = await post(path, otherBody, idempotencyKey, key);
    expect({ status: other.status, code: other.code }).toEqual(otherExpected);
    expect(await workflowStarts()).toBe(starts);
    return idempotencyKey;
  }

  const cases: Record<string, () => Promise<void>> = {
    'POST /v1/time-entries': async () => {
      const entry = {
        matterId,
        date: '2026-11-06',
        durationSeconds: 60,
        description: `Idem ${randomUUID()}`,
      };
      const before = await workflowStarts();
      const first = await expectAcceptedAnswerKept(
        '/v1/time-entries',
        { entries: [entry] },
        { entries: [{ ...entry, durationSeconds: 120 }] },
        202,
        {
          key: 'sandbox-attorney',
          respelled: ['/V1/TIME-ENTRIES', '/v1/time-entries/', '/v1/Time-Entries/?'],
        },
      );
      // The first request did start a workflow: the counter the replay is checked against does move.
      expect(await workflowStarts()).toBe(before + 1);
      expect(first.body).toMatchObject({ workflowId: expect.any(String), runId: expect.any(String) });
    },

    'POST /v1/webhooks': async () => {
      const subscriptions = async () =>
        (
          (await (
            await fetch(`${sys.api.url}/v1/webhooks`, { headers: { authorization: 'Bearer sandbox-admin' } })
          ).json()) as { data: { id: string }[] }
        ).data.map((s) => s.id);
      const url = `http://127.0.0.1:9/idem-${randomUUID()}`;
      const first = await expectAcceptedAnswerKept(
        '/v1/webhooks',
        { url, events: ['billing_run.completed'] },
        { url, events: ['workflow.failed'] },
        201,
        { state: subscriptions, respelled: ['/V1/Webhooks', '/v1/webhooks/'] },
      );
      // The kept answer is the one that shows the secret: a replay hands back that same secret, no new one.
      expect(first.body).toMatchObject({ secret: expect.stringMatching(/^whsec_/) });
    },

    'POST /v1/tenants/:tenant/session/mfa': async () => {
      const path = `/v1/tenants/${sandboxTenant}/session/mfa`;
      // No session yet: refused, and not kept.
      const refusedKey = await expectRefusalNotKept(
        path,
        { code: '123456' },
        { code: '654321' },
        { status: 409, code: 'session_not_awaiting_mfa' },
        { status: 409, code: 'session_not_awaiting_mfa' },
      );

      await sys.link.ensure(sandboxTenant);
      expect(await waitForSession(sys, (v) => v.state === 'awaiting_mfa')).toMatchObject({
        state: 'awaiting_mfa',
      });
      const { messages } = (await sandboxControl(sys, 'GET', '/_sandbox/outbox')) as {
        messages: { code: string }[];
      };
      const code = messages[messages.length - 1]!.code;
      // The refused first request did not use the key up: it now carries the accepted code, signalled once
      // however often the request is sent.
      await expectAcceptedAnswerKept(path, { code }, { code: code === '111111' ? '222222' : '111111' }, 202, {
        idempotencyKey: refusedKey,
        state: () => oneSignalTo(sandboxTenant, 'mfaCode'),
        // The tenant is a parameter: its value counts exactly (percent-encoding aside), the fixed parts do not.
        respelled: [
          `/V1/TENANTS/${sandboxTenant}/SESSION/MFA`,
          `/v1/Tenants/${sandboxTenant}/Session/Mfa/`,
          `/v1/tenants/${percentEncoded(sandboxTenant)}/session/mfa`,
        ],
        otherParams: [`/v1/tenants/${sandboxTenant.toUpperCase()}/session/mfa`],
      });
      expect(await signalsTo(sandboxTenant, 'mfaCode')).toBe(1);
      expect(await waitForSession(sys, (v) => v.state === 'active')).toMatchObject({
        state: 'active',
        attempts: 1,
      });
    },

    'POST /v1/tenants/:tenant/session/retry': async () => {
      const path = `/v1/tenants/${failedTenant}/session/retry`;
      // Never started: refused, and not kept; another body (a retry takes none) is its own 400.
      await expectRefusalNotKept(
        path,
        {},
        { force: true },
        { status: 409, code: 'session_not_failed' },
        { status: 400, code: 'invalid_request' },
        failedTenantKey,
      );

      await sys.link.ensure(failedTenant);
      const deadline = Date.now() + 30_000;
      while ((await sys.link.state(failedTenant))?.state !== 'failed' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(await sys.link.state(failedTenant)).toMatchObject({ state: 'failed' });
      // Accepted: the retry signal goes to the session once, however often the request is sent.
      await expectAcceptedAnswerKept(path, {}, { force: true }, 202, {
        key: failedTenantKey,
        state: () => oneSignalTo(failedTenant, 'retry'),
        respelled: [
          `/V1/TENANTS/${failedTenant}/SESSION/RETRY/`,
          `/v1/tenants/${percentEncoded(failedTenant)}/Session/Retry`,
        ],
        otherParams: [
          `/v1/tenants/${failedTenant.toUpperCase()}/session/retry`,
          `/v1/tenants/${failedTenant}-2/session/retry`,
        ],
      });
      expect(await signalsTo(failedTenant, 'retry')).toBe(1);
    },
  };

  test.each(
    Object.values(PERMISSIONS)
      .map((p) => p.route as string)
      .filter((route) => route.startsWith('POST ')),
  )('%s: the same key and body get the first answer again; another body, 409', async (route) => {
    const check = cases[route];
    if (!check) throw new Error(`No Idempotency-Key case for ${route}: add one to this file`);
    await check();
  });
});
