import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { PortalClient, DEFAULT_PORTAL_PATHS } from '../../src/integrations/clio-portal';
import { clioSessionWorkflowId, reauthenticateSignal } from '../../workflows/shared/session-messages';
import { uniqueQueue } from '../helpers/temporal-env';
import {
  api,
  sandboxControl,
  startSessionSystem,
  waitForSession,
  type SessionSystem,
} from './session-system';

/** Sign-ins the sandbox portal saw: each one posts the password form once. */
async function passwordPosts(sys: SessionSystem): Promise<number> {
  const stats = (await sandboxControl(sys, 'GET', '/_sandbox/stats')) as { byRoute: Record<string, number> };
  return stats.byRoute['POST /session/password'] ?? 0;
}

describe('Clio portal session with TOTP (real Chromium, real Temporal, sandbox portal over HTTP)', () => {
  let sys: SessionSystem;
  beforeAll(async () => {
    sys = await startSessionSystem();
  });
  afterAll(async () => {
    await sys?.stop();
  });

  test('when a session is needed, then Chromium signs in with the TOTP code and the stored cookies work over plain HTTP', async () => {
    expect((await api(sys, 'GET', '/v1/tenants/sandbox/session')).body).toEqual({
      tenant: 'sandbox',
      state: 'not_started',
    });
    await sys.link.ensure('sandbox');
    await sys.link.ensure('sandbox'); // a second caller joins the same workflow
    const view = await waitForSession(sys, (v) => v.state === 'active');
    expect(view).toMatchObject({ state: 'active', generation: 1, prompts: 0 });
    const answer = await api(sys, 'GET', '/v1/tenants/sandbox/session', undefined, 'sandbox-billing');
    expect(answer.body).toMatchObject({ tenant: 'sandbox', state: 'active', generation: 1 });
    expect(Date.parse(answer.body.since)).not.toBeNaN();

    const stored = await sys.store.loadMaterial('sandbox');
    expect(stored?.generation).toBe(1);
    expect(stored?.material.signedInAs).toBe(sys.config.CLIO_PORTAL_USERNAME);
    const client = new PortalClient({
      baseUrl: sys.clioUrl,
      paths: DEFAULT_PORTAL_PATHS,
      material: stored!.material,
    });
    expect(await client.isSignedIn()).toBe(true);
    // The row in the store is sealed: no cookie value in it.
    const rows: { sealed: string }[] = await sys.db.knex('portal_sessions').select('sealed');
    expect(JSON.stringify(rows)).not.toContain(stored!.material.cookies[0]!.value);
    expect(await passwordPosts(sys)).toBe(1);
  });

  test('when the session expires mid-run and 50 activities meet the 401, then the session signs in once and all 50 calls succeed', async () => {
    const before = await passwordPosts(sys);
    // The portal applies a shortened TTL to live sessions: this one (older than 6 s by now) has expired.
    await new Promise((r) => setTimeout(r, 6_500));
    await sandboxControl(sys, 'POST', '/_sandbox/faults', { sessionTtlSeconds: 6 });
    // What the health check sees: the app page now redirects this session to sign-in.
    const old = await sys.store.loadMaterial('sandbox', 1);
    try {
      expect(
        await new PortalClient({
          baseUrl: sys.clioUrl,
          paths: DEFAULT_PORTAL_PATHS,
          material: old!.material,
        }).isSignedIn(),
      ).toBe(false);
    } finally {
      // The portal ended the expired session on that read, for good. Kept at 6 s, the TTL would also end the
      // next session 6 s after its sign-in, and calls still retrying then (a loaded machine, a sign-in waiting
      // for the next TOTP step) would meet a second expiry and a second sign-in.
      await sandboxControl(sys, 'POST', '/_sandbox/faults', { sessionTtlSeconds: 3600 });
    }
    const queue = uniqueQueue('portal-calls');
    const worker = await Worker.create({
      connection: sys.env.nativeConnection,
      taskQueue: queue,
      workflowsPath: require.resolve('./fixtures/portal-calls-workflow'),
      dataConverter: sys.dataConverter,
    });
    const done = await worker.runUntil(
      sys.env.client.workflow.execute('portalCalls', {
        workflowId: uniqueQueue('portal-calls'),
        taskQueue: queue,
        args: [{ tenant: 'sandbox', path: '/internal/settings/billing', count: 50 }],
      }),
    );
    expect(done).toBe(50);
    expect(await passwordPosts(sys)).toBe(before + 1);
    expect(await waitForSession(sys, (v) => v.state === 'active')).toMatchObject({
      state: 'active',
      generation: 2,
    });
  });

  test('when the portal changed, then the sign-in fails with PortalChanged, a screenshot and HTML are saved, the session is failed, and a retry through the API signs in once fixed', async () => {
    await sandboxControl(sys, 'POST', '/_sandbox/faults', { portalVariant: 'changed' });
    try {
      const { generation } = await waitForSession(sys, (v) => v.state === 'active');
      const handle = sys.env.client.workflow.getHandle(clioSessionWorkflowId('sandbox'));
      await handle.signal(reauthenticateSignal, { generation });
      const view = await waitForSession(sys, (v) => v.state === 'failed');
      expect(view.state).toBe('failed');
      expect(view.reason).toMatch(
        /The Clio portal changed: the "Email" field is missing on the sign-in page/,
      );
      const files = readdirSync(path.join(sys.dataDir, 'portal-drift'));
      expect(files.some((f) => f.endsWith('.png'))).toBe(true);
      expect(files.some((f) => f.endsWith('.html'))).toBe(true);
      // A failed session stays failed: further reports cause no sign-in loop.
      const posts = await passwordPosts(sys);
      await handle.signal(reauthenticateSignal, { generation: view.generation });
      await new Promise((r) => setTimeout(r, 1_500));
      expect((await waitForSession(sys, () => true)).state).toBe('failed');
      expect(await passwordPosts(sys)).toBe(posts);
      expect(sys.logs.join('')).toMatch(/Clio portal session failed/);

      // Once the cause is fixed, a person asks for a new sign-in through the API.
      await sandboxControl(sys, 'POST', '/_sandbox/faults', { portalVariant: 'default' });
      const retried = await api(sys, 'POST', '/v1/tenants/sandbox/session/retry', {}, 'sandbox-paralegal');
      expect(retried).toMatchObject({ status: 202, body: { state: 'failed', accepted: true } });
      expect(await waitForSession(sys, (v) => v.state === 'active')).toMatchObject({ state: 'active' });
      expect(await passwordPosts(sys)).toBe(posts + 1);
      const again = await api(sys, 'POST', '/v1/tenants/sandbox/session/retry', {});
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('session_not_failed');
    } finally {
      await sandboxControl(sys, 'POST', '/_sandbox/faults', { portalVariant: 'default' });
    }
  });
});
