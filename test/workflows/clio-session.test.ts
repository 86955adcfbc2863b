import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/common';
import { type WorkflowHandle } from '@temporalio/client';
import { clioSession } from '../../workflows/clio-session';
import { TASK_QUEUES } from '../../workflows/shared/task-queues';
import {
  mfaCodeSignal,
  reauthenticateSignal,
  sessionStateQuery,
  type SessionSettings,
  type SessionView,
} from '../../workflows/shared/session-messages';
import { createTimeSkippingEnv, uniqueQueue, workflowBundle } from '../helpers/temporal-env';

const SETTINGS: SessionSettings = { mfaWaitMs: 10 * 60_000, maxPrompts: 2, maxCodeAttempts: 3, healthCheckIntervalMs: 3_600_000 };

/** Fake browser and housekeeping activities that record what the session workflow asked of them. */
function fakes(signIn: () => Promise<unknown>, submit: (code: { ref?: string; code?: string }) => string = () => 'active') {
  const calls = { signIn: 0, submit: 0, abandon: 0, events: [] as { event: string; reason?: string; failureType?: string }[] };
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
        return Promise.resolve();
      },
    },
    local: {
      notifySessionEvent: (e: { event: string; reason?: string; failureType?: string }) => {
        calls.events.push(e);
        return Promise.resolve();
      },
      checkPortalSession: () => Promise.resolve({ signedIn: true }),
    },
  };
}

describe('clioSession workflow (time-skipping test server, fake browser)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  async function run(f: ReturnType<typeof fakes>, body: (h: WorkflowHandle<typeof clioSession>) => Promise<void>) {
    const queue = uniqueQueue('session');
    const wf = await Worker.create({ connection: env.nativeConnection, taskQueue: queue, workflowBundle: await workflowBundle(), activities: f.local });
    const browser = await Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUES.clioBrowser, activities: f.browser });
    await wf.runUntil(
      browser.runUntil(async () => {
        const handle = await env.client.workflow.start(clioSession, { workflowId: uniqueQueue('clioSession'), taskQueue: queue, args: [{ tenant: 't1', settings: SETTINGS }] });
        try {
          await body(handle);
        } finally {
          await handle.terminate('test over');
        }
      }),
    );
  }

  async function until(handle: WorkflowHandle<typeof clioSession>, ok: (v: SessionView) => boolean): Promise<SessionView> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const view = await handle.query(sessionStateQuery);
      if (ok(view) || Date.now() > deadline) return view;
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
    });
    expect(f.calls.signIn).toBe(2);
    expect(f.calls.abandon).toBe(2);
    expect(f.calls.events.map((e) => e.event)).toEqual(['session.mfa_required', 'session.mfa_required', 'session.failed']);
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
      await Promise.all(Array.from({ length: 50 }, () => handle.signal(reauthenticateSignal, { generation: 1 })));
      expect(await until(handle, (v) => v.state === 'active' && v.generation === 2)).toMatchObject({ generation: 2 });
      await handle.signal(reauthenticateSignal, { generation: 1 });
      await env.sleep('1 minute');
      expect((await handle.query(sessionStateQuery)).generation).toBe(2);
    });
    expect(f.calls.signIn).toBe(2);
  });

  test('when the portal changed, then the session fails at once with the drift reason and an alert, without retrying', async () => {
    const f = fakes(() => Promise.reject(ApplicationFailure.nonRetryable('The Clio portal changed: the "Email" field is missing on the sign-in page', 'PortalChanged', { missing: 'Email' })));
    await run(f, async (handle) => {
      const view = await until(handle, (v) => v.state === 'failed');
      expect(view.reason).toMatch(/portal changed/);
    });
    expect(f.calls.signIn).toBe(1);
    expect(f.calls.events).toEqual([expect.objectContaining({ event: 'session.failed', failureType: 'PortalChanged' })]);
  });
});
