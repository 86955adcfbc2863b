import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createClioPortalActivities } from '../../activities/clio-portal-session';
import { PortalClient } from '../../src/integrations/clio-portal/portal-client';
import { DEFAULT_PORTAL_PATHS, type SessionMaterial } from '../../src/integrations/clio-portal/types';
import { sessionSettings } from '../../src/sessions';
import { clioSessionWorkflowId } from '../../workflows/shared/session-messages';
import { uniqueQueue } from '../helpers/temporal-env';
import { WorkflowNotFoundError } from '@temporalio/client';
import {
  api,
  forgetSession,
  sandboxControl,
  startSessionSystem,
  waitForSession,
  type SessionSystem,
  newestCode as newestCodeAfter,
  outboxSize as outboxSizeOf,
} from './session-system';

const TENANT = 'sandbox';
const PATH = '/internal/settings/billing';

/**
 * The `portalRequest` activity (withPortalSession) follows the session workflow's state, not merely the cookies in
 * the store. The web-app user here gets SMS codes (no TOTP secret), so every sign-in waits for a person.
 */
describe('portalRequest while the web session is ended or waits for an MFA code (real Chromium, real Temporal)', () => {
  let sys: SessionSystem;

  beforeAll(async () => {
    sys = await startSessionSystem({
      CLIO_PORTAL_USERNAME: 'clerk@sandbox.test',
      CLIO_PORTAL_TOTP_SECRET: '',
    });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  /** One portalRequest, as a workflow's activity runs it, against the service's real session workflow. */
  function portalRequest(): Promise<unknown> {
    const activities = createClioPortalActivities({
      store: sys.store,
      portal: { baseUrl: sys.clioUrl, paths: DEFAULT_PORTAL_PATHS },
      settings: sessionSettings(sys.config),
      link: sys.link,
    });
    return new MockActivityEnvironment().run((input) => activities.portalRequest(input), {
      tenant: TENANT,
      method: 'GET' as const,
      path: PATH,
    });
  }
  const failureOf = async (): Promise<ApplicationFailure> => {
    const err = await portalRequest().then(
      (answer) => new Error(`expected a failure, got ${JSON.stringify(answer)}`),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApplicationFailure);
    return err as ApplicationFailure;
  };

  /** Requests Clio's web app got for the endpoint the activity calls. */
  const portalCalls = async () => {
    const { byRoute } = (await sandboxControl(sys, 'GET', '/_sandbox/stats')) as {
      byRoute: Record<string, number>;
    };
    return Object.entries(byRoute)
      .filter(([route]) => route.includes('settings/billing'))
      .reduce((n, [, c]) => n + c, 0);
  };

  const outboxSize = () => outboxSizeOf(sys);
  const newestCode = (after: number) => newestCodeAfter(sys, after);
  async function handInCode(sent: number): Promise<void> {
    const answer = await api(sys, 'POST', `/v1/tenants/${TENANT}/session/mfa`, {
      code: await newestCode(sent),
    });
    expect(answer.status).toBe(202);
  }

  /** The session active, whatever an earlier test left: a code waiting for a person is handed in. */
  async function activeSession() {
    const view = await waitForSession(sys, (v) => v.state === 'active' || v.state === 'awaiting_mfa');
    if (view.state === 'awaiting_mfa') await handInCode((await outboxSize()) - 1);
    return waitForSession(sys, (v) => v.state === 'active');
  }

  const signedIn = (material: SessionMaterial) =>
    new PortalClient({ baseUrl: sys.clioUrl, paths: DEFAULT_PORTAL_PATHS, material }).isSignedIn();

  test('when no session exists, then the call starts one and retries soon; while it waits for the code, it retries later; once active, the call goes through', async () => {
    const sent = await outboxSize();
    expect(await sys.link.state(TENANT)).toBeUndefined();
    expect(await failureOf()).toMatchObject({ type: 'PortalSessionNotReady', nonRetryable: false });
    await waitForSession(sys, (v) => v.state === 'awaiting_mfa');

    const waiting = await failureOf();
    expect(waiting).toMatchObject({ type: 'PortalSessionNotReady', nonRetryable: false });
    expect(waiting.message).toMatch(/MFA code/);
    // A person answers in minutes, not seconds: the activity does not spend its attempts every 2 seconds.
    expect(waiting.nextRetryDelay).toBe('30 seconds');

    await handInCode(sent);
    await waitForSession(sys, (v) => v.state === 'active');
    const before = await portalCalls();
    expect(await portalRequest()).toMatchObject({ settings: expect.any(Object) });
    expect(await portalCalls()).toBe(before + 1);
  });

  test('when an operator ended the session workflow, then the call fails for good (PortalSessionFailed) and reaches no portal, although the stored cookies still work', async () => {
    await sys.env.client.workflow.getHandle(clioSessionWorkflowId(TENANT)).terminate('operator test');
    expect((await api(sys, 'GET', `/v1/tenants/${TENANT}/session`)).body).toMatchObject({ state: 'failed' });
    expect(await signedIn((await sys.store.loadMaterial(TENANT))!.material)).toBe(true);

    const before = await portalCalls();
    const failure = await failureOf();
    expect(failure).toMatchObject({ type: 'PortalSessionFailed', nonRetryable: true });
    expect(failure.message).toMatch(/TERMINATED/);
    expect(await portalCalls()).toBe(before);
    // Nothing started it again: whoever ended it meant the sign-ins to stop.
    expect((await api(sys, 'GET', `/v1/tenants/${TENANT}/session`)).body).toMatchObject({ state: 'failed' });
  });

  test('when Temporal has since forgotten the ended run (retention), then the call still fails for good, reaches no portal and starts no session', async () => {
    await forgetSession(sys, TENANT);
    const sent = await outboxSize();
    const before = await portalCalls();
    const failure = await failureOf();
    expect(failure).toMatchObject({ type: 'PortalSessionFailed', nonRetryable: true });
    // What the service saw before Temporal forgot it.
    expect(failure.message).toMatch(/TERMINATED/);
    expect(await portalCalls()).toBe(before);
    expect(await sys.link.state(TENANT)).toBeUndefined(); // no session workflow was started
    expect((await api(sys, 'GET', `/v1/tenants/${TENANT}/session`)).body).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/TERMINATED/),
    });
    await new Promise((r) => setTimeout(r, 1_000));
    await expect(
      sys.env.client.workflow.getHandle(clioSessionWorkflowId(TENANT)).describe(),
    ).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect(await outboxSize()).toBe(sent);
  });

  test('when a person retried and the new session waits for its MFA code, then the call retries later and reaches no portal over the old cookies; once active, it goes through over the new ones', async () => {
    const sent = await outboxSize();
    expect((await api(sys, 'POST', `/v1/tenants/${TENANT}/session/retry`, {})).status).toBe(202);
    await waitForSession(sys, (v) => v.state === 'awaiting_mfa');
    // The ended session's cookies are still the newest in the store and still work in Clio.
    expect(await signedIn((await sys.store.loadMaterial(TENANT))!.material)).toBe(true);

    const before = await portalCalls();
    const failure = await failureOf();
    expect(failure).toMatchObject({ type: 'PortalSessionNotReady', nonRetryable: false });
    expect(failure.nextRetryDelay).toBe('30 seconds');
    expect(await portalCalls()).toBe(before);

    await handInCode(sent);
    await waitForSession(sys, (v) => v.state === 'active');
    expect(await portalRequest()).toMatchObject({ settings: expect.any(Object) });
    expect(await portalCalls()).toBe(before + 1);
  });

  test('when the session is active but its cookies are gone from the store, then the call reports them expired (a new sign-in starts) and retries', async () => {
    const { generation } = await activeSession();
    const sent = await outboxSize();
    await sys.db.knex('portal_sessions').where({ tenant: TENANT, generation }).delete();

    const before = await portalCalls();
    const failure = await failureOf();
    expect(failure).toMatchObject({ type: 'PortalSessionExpired', nonRetryable: false });
    expect(await portalCalls()).toBe(before);
    // The session signs in again (a new generation, waiting for this user's code) instead of staying active.
    const next = await waitForSession(sys, (v) => v.generation > generation && v.state === 'awaiting_mfa');
    expect(next.generation).toBe(generation + 1);
    await handInCode(sent);
    await waitForSession(sys, (v) => v.state === 'active');
    expect(await portalRequest()).toMatchObject({ settings: expect.any(Object) });
  });

  test('when a workflow calls the portal while the session waits for an MFA code, then its activity waits 30 s between attempts, reaches no portal, and completes once the code is in', async () => {
    const { generation } = await activeSession();
    const sent = await outboxSize();
    await sys.link.reportExpired(TENANT, generation);
    await waitForSession(sys, (v) => v.generation > generation && v.state === 'awaiting_mfa');

    const before = await portalCalls();
    const queue = uniqueQueue('portal-calls');
    const worker = await Worker.create({
      connection: sys.env.nativeConnection,
      taskQueue: queue,
      workflowsPath: require.resolve('./fixtures/portal-calls-workflow'),
      dataConverter: sys.dataConverter,
    });
    const done = await worker.runUntil(async () => {
      const handle = await sys.env.client.workflow.start('portalCalls', {
        workflowId: uniqueQueue('portal-calls'),
        taskQueue: queue,
        args: [{ tenant: TENANT, path: PATH, count: 2 }],
      });
      // The service's own worker runs the activities: each has failed once, not-ready, and waits for its next try.
      const deadline = Date.now() + 30_000;
      let pending = (await handle.describe()).raw.pendingActivities ?? [];
      while (pending.length < 2 || pending.some((a) => !a.lastFailure)) {
        if (Date.now() > deadline) throw new Error('the portal calls did not fail their first attempt');
        await new Promise((r) => setTimeout(r, 200));
        pending = (await handle.describe()).raw.pendingActivities ?? [];
      }
      expect(pending.map((a) => a.lastFailure?.applicationFailureInfo?.type)).toEqual([
        'PortalSessionNotReady',
        'PortalSessionNotReady',
      ]);
      expect(pending.map((a) => a.attempt)).toEqual([2, 2]); // the next try, not yet run
      await new Promise((r) => setTimeout(r, 5_000));
      pending = (await handle.describe()).raw.pendingActivities ?? [];
      expect(pending.map((a) => a.attempt)).toEqual([2, 2]);
      expect(await portalCalls()).toBe(before);

      await handInCode(sent);
      return handle.result();
    });
    expect(done).toBe(2);
    expect(await portalCalls()).toBe(before + 2);
  });
});
