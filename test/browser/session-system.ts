import { WorkflowNotFoundError } from '@temporalio/client';
import {
  createSessionLink,
  createSessionStore,
  sessionKey,
  sessionSettings,
  type SessionLink,
  type SessionStore,
} from '../../src/sessions';
import {
  sessionStateQuery,
  clioSessionWorkflowId,
  type SessionView,
} from '../../workflows/shared/session-messages';
import { startSystem, type System } from '../helpers/system';

export interface SessionSystem extends System {
  store: SessionStore;
  link: SessionLink;
}

/** The whole service with its logs captured, plus the session store and link the tests look through. */
export async function startSessionSystem(env: Record<string, string> = {}): Promise<SessionSystem> {
  const sys = await startSystem(
    { API_RATE_LIMIT_PER_MINUTE: '100000', PORTAL_HEALTH_CHECK_SECONDS: '3600', ...env },
    { captureLogs: true },
  );
  return {
    ...sys,
    store: createSessionStore(sys.db.knex, sessionKey(sys.config)),
    link: createSessionLink(sys.temporal, sessionSettings(sys.config)),
  };
}

/** Polls the session workflow's query until `ok` holds; when the time is up, throws with the state last seen. */
export async function waitForSession(
  sys: SessionSystem,
  ok: (v: SessionView) => boolean,
  timeoutMs = 60_000,
): Promise<SessionView> {
  const handle = sys.env.client.workflow.getHandle(clioSessionWorkflowId(sys.config.DEFAULT_TENANT));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await handle.query(sessionStateQuery).catch(() => undefined);
    if (view && ok(view)) return view;
    if (Date.now() > deadline)
      throw new Error(
        `the session did not reach the awaited state in ${timeoutMs} ms; last seen: ${JSON.stringify(view)}`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Makes Temporal forget the tenant's ended session workflow, as it does once the namespace's retention period has
 * passed (a day on the dev server, often 3 to 30 in production): the run is deleted, and this waits until a
 * describe no longer finds it (the server deletes in the background).
 */
export async function forgetSession(sys: SessionSystem, tenant: string, timeoutMs = 60_000): Promise<void> {
  const workflowId = clioSessionWorkflowId(tenant);
  const handle = sys.env.client.workflow.getHandle(workflowId);
  const { status } = await handle.describe();
  if (status.name === 'RUNNING') throw new Error('forgetSession: end the session workflow first');
  await sys.env.client.workflowService.deleteWorkflowExecution({
    namespace: sys.env.namespace ?? 'default',
    workflowExecution: { workflowId },
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await handle.describe().then(
      () => true,
      (err: unknown) => {
        if (err instanceof WorkflowNotFoundError) return false;
        throw err;
      },
    );
    if (!found) return;
    if (Date.now() > deadline) throw new Error(`Temporal still knows ${workflowId} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function api(
  sys: SessionSystem,
  method: string,
  url: string,
  body?: unknown,
  key = 'sandbox-admin',
) {
  const res = await fetch(`${sys.api.url}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- test answers are read loosely
}

export async function sandboxControl(
  sys: SessionSystem,
  method: string,
  url: string,
  body?: unknown,
): Promise<unknown> {
  const res = await fetch(`${sys.clioUrl}${url}`, {
    method,
    headers: body !== undefined ? { 'content-type': 'application/json' } : {},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json();
}

/** How many SMS codes the Clio sandbox has sent so far. */
export async function outboxSize(sys: SessionSystem): Promise<number> {
  return ((await sandboxControl(sys, 'GET', '/_sandbox/outbox')) as { messages: unknown[] }).messages.length;
}

/** The SMS code sent after the outbox held `after` messages. */
export async function newestCode(sys: SessionSystem, after: number): Promise<string> {
  // Generous: the code comes from a Chromium sign-in, slow on a loaded 2-core machine.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { messages } = (await sandboxControl(sys, 'GET', '/_sandbox/outbox')) as {
      messages: { code: string }[];
    };
    if (messages.length > after) return messages[messages.length - 1]!.code;
    if (Date.now() > deadline) throw new Error('no SMS code arrived in the sandbox outbox');
    await new Promise((r) => setTimeout(r, 200));
  }
}
