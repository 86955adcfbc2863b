import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/common';
import { type WorkflowHandle } from '@temporalio/client';
import { clioSession } from '../../workflows/clio-session';
import { TASK_QUEUES } from '../../workflows/shared/task-queues';
import {
  ensureSessionSignal,
  mfaCodeSignal,
  reauthenticateSignal,
  sessionStateQuery,
  type SessionSettings,
  type SessionView,
} from '../../workflows/shared/session-messages';
import { createTimeSkippingEnv, uniqueQueue, workflowBundle } from '../helpers/temporal-env';

const SETTINGS: SessionSettings = {
  mfaWaitMs: 10 * 60_000,
  maxPrompts: 2,
  maxCodeAttempts: 3,
  healthCheckIntervalMs: 3_600_000,
};

/** Fake browser and housekeeping activities that record what the session workflow asked of them. */
function fakes(
  signIn: () => Promise<unknown>,
  submit: (code: { ref?: string; code?: string }) => string = () => 'active',
  abandon: () => Promise<void> = () => Promise.resolve(),
) {
  const calls = {
    signIn: 0,
    submit: 0,
    abandon: 0,
    health: 0,
    events: [] as { event: string; reason?: string; failureType?: string }[],
    webhooks: [] as { type: string; data: Record<string, unknown> }[],
  };
  return {
    calls,
    browser: {
      portalSignIn: () => {
        calls.signIn++;
        return signIn();
      },
      portalSubmitMfaCode: (input: { code: { ref?: string; code?: string } }) => {
        calls.submit++;
        return Promise.resolve({ status: submit(input.code) });
      },
      portalAbandonSignIn: () => {
        calls.abandon++;
        return abandon();
      },
    },
    local: {
      notifySessionEvent: (e: { event: string; reason?: string; failureType?: string }) => {
        calls.events.push(e);
        return Promise.resolve();
      },
      checkPortalSession: () => {
        calls.health++;
        return Promise.resolve({ signedIn: true });
      },
    },
    orchestration: {
      // The deliverEvent child's lookup: no subscribers, so the event is only recorded here.
      findWebhookTargets: (event: { type: string; data: Record<string, unknown> }) => {
        calls.webhooks.push(event);
        return Promise.resolve({ subscriptionIds: [], maxAttempts: 1 });
      },
    },
  };
}

describe('clioSession workflow (time-skipping test server, fake browser)', () => {
  // A server per test: terminating a session while one of its tasks is in flight can leave the test server's clock
  // locked, and a later test's env.sleep would then pass in real time (minutes) instead of skipped time.
  let env: TestWorkflowEnvironment;
  beforeEach(async () => {
    env = await createTimeSkippingEnv();
  });
  afterEach(async () => {
    await env?.teardown();
  });

  async function run(
    f: ReturnType<typeof fakes>,
    body: (h: WorkflowHandle<typeof clioSession>) => Promise<void>,
    settings = SETTINGS,
  ) {
    const queue = uniqueQueue('session');
    const wf = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: queue,
      workflowBundle: await workflowBundle(),
      activities: f.local,
    });
    const browser = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUES.clioBrowser,
      activities: f.browser,
    });
    const orchestration = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUES.orchestration,
      activities: f.orchestration,
    });
    await orchestration.runUntil(
      wf.runUntil(
        browser.runUntil(async () => {
          const handle = await env.client.workflow.start(clioSession, {
            workflowId: uniqueQueue('clioSession'),
            taskQueue: queue,
            args: [{ tenant: 't1', settings }],
          });
          try {
            await body(handle);
          } finally {
            await handle.terminate('test over');
          }
        }),
      ),
    );
  }

  async function until(
    handle: WorkflowHandle<typeof clioSession>,
    ok: (v: SessionView) => boolean,
  ): Promise<SessionView> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const view = await handle.query(sessionStateQuery);
      if (ok(view)) return view;
      if (Date.now() > deadline)
        throw new Error(`the session never reached the awaited state; it is at ${JSON.stringify(view)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Polls (while the workers still run) until `ok` holds; throws naming what it waited for. */
  async function waitFor(ok: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const mfa = () => Promise.resolve({ status: 'mfa_required', challengeId: 'c1', channel: 'sms' });

  test('when no MFA code arrives, then it asks again after the wait, and fails after the last prompt with a clear reason', async () => {
    const f = fakes(mfa);
    await run(f, async (handle) => {
      expect((await until(handle, (v) => v.state === 'awaiting_mfa')).prompts).toBe(1);
      await env.sleep('11 minutes');
      expect((await until(handle, (v) => v.prompts === 2)).state).toBe('awaiting_mfa');
      await env.sleep('11 minutes');
      const view = await until(handle, (v) => v.state === 'failed');
      expect(view.state).toBe('failed');
      expect(view.reason).toMatch(/No MFA code arrived: asked 2 times, waiting 10 minutes/);
      // The state turns 'failed' before the alert and the webhooks go out (deliverEvent children on this test's
      // queue): they are awaited here, while the workers still run.
      await waitFor(() => f.calls.webhooks.length >= 3, 'three session webhooks');
    });
    expect(f.calls.signIn).toBe(2);
    expect(f.calls.abandon).toBe(2);
    expect(f.calls.events.map((e) => e.event)).toEqual([
      'session.mfa_required',
      'session.mfa_required',
      'session.failed',
    ]);
    expect(f.calls.webhooks.map((e) => e.type).sort()).toEqual([
      'session.failed',
      'session.mfa_required',
      'session.mfa_required',
    ]);
  });

  test('when a wrong code comes first, then it waits again with the attempt counted, and the right code signs in', async () => {
    const f = fakes(mfa, (code) => (code.code === '222222' ? 'active' : 'rejected'));
    await run(f, async (handle) => {
      await until(handle, (v) => v.state === 'awaiting_mfa');
      await handle.signal(mfaCodeSignal, { code: '111111' });
      const retry = await until(handle, (v) => v.state === 'awaiting_mfa' && v.attempts === 1);
      expect(retry.reason).toMatch(/not accepted \(1 of 3/);
      await handle.signal(mfaCodeSignal, { code: '222222' });
      const view = await until(handle, (v) => v.state === 'active');
      expect(view).toMatchObject({ state: 'active', attempts: 2, generation: 1 });
    });
    expect(f.calls.submit).toBe(2);
  });

  test('when 50 reports of an expired session arrive, then it signs in once; a late report about the old generation changes nothing', async () => {
    const f = fakes(() => Promise.resolve({ status: 'active' }));
    await run(f, async (handle) => {
      await until(handle, (v) => v.state === 'active');
      await Promise.all(
        Array.from({ length: 50 }, () => handle.signal(reauthenticateSignal, { generation: 1 })),
      );
      expect(await until(handle, (v) => v.state === 'active' && v.generation === 2)).toMatchObject({
        generation: 2,
      });
      await handle.signal(reauthenticateSignal, { generation: 1 });
      await env.sleep('1 minute');
      expect((await handle.query(sessionStateQuery)).generation).toBe(2);
    });
    expect(f.calls.signIn).toBe(2);
  });

  test('when the portal changed, then the session fails at once with the drift reason and an alert, without retrying', async () => {
    const f = fakes(() =>
      Promise.reject(
        ApplicationFailure.nonRetryable(
          'The Clio portal changed: the "Email" field is missing on the sign-in page',
          'PortalChanged',
          { missing: 'Email', screenshotPath: '/srv/app/.data/portal-drift/x.png', htmlPath: '/srv/x.html' },
        ),
      ),
    );
    await run(f, async (handle) => {
      const view = await until(handle, (v) => v.state === 'failed');
      expect(view.reason).toMatch(/portal changed/);
      await waitFor(() => f.calls.webhooks.length >= 1, 'the session.failed webhook');
    });
    expect(f.calls.signIn).toBe(1);
    expect(f.calls.events).toEqual([
      expect.objectContaining({ event: 'session.failed', failureType: 'PortalChanged' }),
    ]);
    // The operator's alert names the snapshot files; webhook receivers get what changed, not this host's paths.
    expect(f.calls.events[0]).toMatchObject({ screenshotPath: '/srv/app/.data/portal-drift/x.png' });
    expect(f.calls.webhooks[0]?.data).toMatchObject({ missing: 'Email', failureType: 'PortalChanged' });
    expect(JSON.stringify(f.calls.webhooks)).not.toMatch(/portal-drift|\.html/);
  });

  test('when health checks pile up history, then the session continues as new with its generation and state', async () => {
    const f = fakes(() => Promise.resolve({ status: 'active' }));
    await run(
      f,
      async (handle) => {
        await until(handle, (v) => v.state === 'active');
        const first = (await handle.describe()).runId;
        // Each health check adds about ten events; 2,000 events are reached after some 200 checks. Hour steps stop
        // soon after (each check is a real activity round trip: ten-hour steps ran 600 of them, slow under load).
        for (let i = 0; i < 300 && (await handle.describe()).runId === first; i++) await env.sleep('1 hour');
        expect((await handle.describe()).runId).not.toBe(first);
        expect(await until(handle, (v) => v.state === 'active')).toMatchObject({
          state: 'active',
          generation: 1,
        });
      },
      { ...SETTINGS, healthCheckIntervalMs: 60_000 },
    );
    expect(f.calls.signIn).toBe(1);
    expect(f.calls.health).toBeGreaterThan(150);
  });

  test('when the browser process holding the challenge is gone, then the code times out there and a fresh sign-in asks again', async () => {
    let n = 0;
    const f = fakes(() =>
      Promise.resolve({
        status: 'mfa_required',
        challengeId: `c${++n}`,
        channel: 'sms',
        ...(n === 1 ? { hostQueue: uniqueQueue('gone') } : {}),
      }),
    );
    await run(
      f,
      async (handle) => {
        await until(handle, (v) => v.state === 'awaiting_mfa');
        await handle.signal(mfaCodeSignal, { code: '123456' });
        await until(handle, (v) => v.state === 'verifying_mfa');
        await env.sleep('10 seconds');
        const after = await until(handle, (v) => v.prompts === 2);
        expect(after.reason).toBeUndefined();
        expect(after).toMatchObject({
          state: 'awaiting_mfa',
          prompts: 2,
          attempts: 1,
        });
        // Nothing is sent to the gone process to close its challenge (it would only wait out the pickup time).
        const scheduled = (await handle.fetchHistory()).events
          ?.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
          .filter(Boolean);
        expect(scheduled).not.toContain('portalAbandonSignIn');
      },
      { ...SETTINGS, hostPickupMs: 3_000 },
    );
    expect(f.calls.signIn).toBe(2);
    expect(f.calls.submit).toBe(0);
  });

  test('when a code arrives while an unanswered challenge is being closed, then it is not tried on the next challenge', async () => {
    let n = 0;
    let closing!: () => void;
    const closed = new Promise<void>((r) => (closing = r));
    let abandonStarted!: () => void;
    const abandonRunning = new Promise<void>((r) => (abandonStarted = r));
    const f = fakes(
      () => Promise.resolve({ status: 'mfa_required', challengeId: `c${++n}`, channel: 'sms' }),
      (code) => (code.code === '222222' ? 'active' : 'rejected'),
      () => {
        abandonStarted();
        return closed;
      },
    );
    await run(f, async (handle) => {
      await until(handle, (v) => v.state === 'awaiting_mfa');
      const waited = env.sleep('11 minutes');
      await abandonRunning;
      // The person answers the first SMS just too late: its challenge is being closed.
      await handle.signal(mfaCodeSignal, { code: '111111' });
      closing();
      await waited;
      await until(handle, (v) => v.prompts === 2);
      await env.sleep('1 minute');
      expect(await handle.query(sessionStateQuery)).toMatchObject({
        state: 'awaiting_mfa',
        prompts: 2,
        attempts: 0,
      });
      await handle.signal(mfaCodeSignal, { code: '222222' });
      expect(await until(handle, (v) => v.state === 'active')).toMatchObject({ attempts: 1 });
    });
    expect(f.calls.submit).toBe(1);
  });

  test('when a worker starts with changed settings, then the running session follows them from its next wait', async () => {
    const f = fakes(mfa);
    await run(f, async (handle) => {
      await until(handle, (v) => v.state === 'awaiting_mfa');
      // Started with two prompts; the operator lowered it to one and restarted the worker.
      await handle.signal(ensureSessionSignal, { settings: { ...SETTINGS, maxPrompts: 1 } });
      await env.sleep('11 minutes');
      const view = await until(handle, (v) => v.state === 'failed');
      expect(view.reason).toMatch(/asked 1 times/);
    });
    expect(f.calls.signIn).toBe(1);
  });
});
