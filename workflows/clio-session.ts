import {
  ActivityFailure,
  ApplicationFailure,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  startChild,
  TimeoutFailure,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { createClioBrowserActivities } from '../activities/clio-browser';
import type { createClioSessionActivities } from '../activities/clio-session-support';
import { portalBrowserOptions, portalMfaSubmitOptions, sessionLocalOptions } from './shared/activity-options';
import { BusinessStatus } from './shared/search-attributes';
import {
  ensureSessionSignal,
  mfaCodeSignal,
  reauthenticateSignal,
  retrySessionSignal,
  sessionStateQuery,
  type ClioSessionInput,
  type MfaCodeMessage,
  type SessionState,
  type SessionView,
} from './shared/session-messages';

type Browser = ReturnType<typeof createClioBrowserActivities>;
const { portalSignIn, portalAbandonSignIn } = proxyActivities<Browser>(portalBrowserOptions);
const { portalSubmitMfaCode } = proxyActivities<Browser>(portalMfaSubmitOptions);

/**
 * An open MFA challenge lives in one browser-worker process: its code must reach that process, through the
 * process's own queue. A process that is gone never picks the task up; the short schedule-to-start timeout turns
 * that into a fresh sign-in instead of a wait without end.
 */
function onHost(
  hostQueue: string | undefined,
  pickupMs = 60_000,
): Pick<Browser, 'portalSubmitMfaCode' | 'portalAbandonSignIn'> {
  if (!hostQueue) return { portalSubmitMfaCode, portalAbandonSignIn };
  const pinned = { taskQueue: hostQueue, scheduleToStartTimeout: pickupMs };
  return {
    // Named, not spread: the activity proxy has no own properties to spread.
    portalSubmitMfaCode: proxyActivities<Browser>({ ...portalMfaSubmitOptions, ...pinned })
      .portalSubmitMfaCode,
    portalAbandonSignIn: proxyActivities<Browser>({
      ...portalBrowserOptions,
      ...pinned,
      retry: { maximumAttempts: 1 },
    }).portalAbandonSignIn,
  };
}

// No task queue: housekeeping runs on the session workflow's own queue (the main worker).
const { checkPortalSession, notifySessionEvent } =
  proxyActivities<ReturnType<typeof createClioSessionActivities>>(sessionLocalOptions);

/** Well under Temporal's 50k-event limit; a healthy session adds a few events per health check. */
const MAX_HISTORY_EVENTS = 2_000;

type CodeWait = 'active' | 'timeout' | 'too_many' | 'restart';

/** Runs that announced events before their ids named the run chain replay with the older ids. */
const EVENT_IDS_PER_CHAIN = 'clio-session-event-ids-per-chain';
/** Runs from before a new challenge dropped codes that answered the previous one replay as they ran. */
const STALE_CODES_DROPPED = 'clio-session-stale-codes-dropped';
/** Runs from before a lost challenge was left alone (not abandoned on its gone host) replay as they ran. */
const LOST_CHALLENGE_LEFT = 'clio-session-lost-challenge-left';

/**
 * The Clio portal session of one tenant, as an entity workflow. History holds only the state and the generation
 * of the session material; cookies and CSRF token live sealed in the service store, MFA codes arrive by reference.
 */
export async function clioSession(input: ClioSessionInput): Promise<void> {
  const { tenant } = input;
  // The settings a session started with would otherwise hold for good (it continues as new, never restarts):
  // workers send theirs with `ensure` when they start, so a changed MFA wait or health interval takes effect.
  let settings = input.settings;
  const view: SessionView = input.carried ?? {
    tenant,
    state: 'signing_in',
    since: new Date().toISOString(),
    generation: 0,
    attempts: 0,
    prompts: 0,
  };
  let reauthWanted = false;
  let retryWanted = false;
  let pendingCode: MfaCodeMessage | undefined;

  setHandler(sessionStateQuery, () => view);
  setHandler(ensureSessionSignal, (message) => {
    if (message?.settings) settings = message.settings;
  });
  setHandler(reauthenticateSignal, ({ generation }) => {
    // Only a report about the live generation counts: 50 activities meeting one expiry cause one sign-in, and
    // a report that arrives after the new sign-in (about the old cookies) causes none.
    if (view.state === 'active' && generation === view.generation) reauthWanted = true;
  });
  setHandler(mfaCodeSignal, (message) => {
    if (view.state === 'awaiting_mfa') pendingCode = message;
  });
  setHandler(retrySessionSignal, () => {
    if (view.state === 'failed') retryWanted = true;
  });

  const enter = (state: SessionState, reason?: string): void => {
    Object.assign(view, { state, since: new Date().toISOString(), reason });
    upsertSearchAttributes([{ key: BusinessStatus, value: state }]);
  };
  const historyIsLong = () =>
    workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > MAX_HISTORY_EVENTS;

  /** Log and alert (activity), then webhooks: a deliverEvent child per event, which this workflow never waits on. */
  async function announce(
    event: 'session.mfa_required' | 'session.failed',
    data: Record<string, unknown>,
  ): Promise<void> {
    await notifySessionEvent({ tenant, event, generation: view.generation, ...data });
    const { workflowId, firstExecutionRunId } = workflowInfo();
    // Generation and prompt make the id unique across continue-as-new. A session started afresh (after its
    // workflow failed) counts from the start again: the first run of the chain tells its events apart.
    const id = patched(EVENT_IDS_PER_CHAIN)
      ? `${workflowId}:event:${event}:${firstExecutionRunId}:${view.generation}:${view.prompts}`
      : `${workflowId}:event:${event}:${view.generation}:${view.prompts}`;
    try {
      await startChild('deliverEvent', {
        workflowId: id,
        args: [
          {
            id,
            type: event,
            tenant,
            occurredAt: new Date().toISOString(),
            data: { ...withoutHostPaths(data), state: view.state, generation: view.generation },
          },
        ],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  async function fail(reason: string, details: Record<string, unknown> = {}): Promise<void> {
    enter('failed', reason);
    await announce('session.failed', { reason, ...details });
  }

  async function waitForCode(challengeId: string, host: ReturnType<typeof onHost>): Promise<CodeWait> {
    for (;;) {
      if (!(await condition(() => pendingCode !== undefined, settings.mfaWaitMs))) return 'timeout';
      const code = pendingCode!;
      pendingCode = undefined;
      view.attempts += 1;
      enter('verifying_mfa');
      let result: Awaited<ReturnType<Browser['portalSubmitMfaCode']>>;
      try {
        result = await host.portalSubmitMfaCode({ tenant, generation: view.generation, challengeId, code });
      } catch (err) {
        if (err instanceof ActivityFailure && err.cause instanceof TimeoutFailure) return 'restart';
        throw err;
      }
      if (result.status === 'active') return 'active';
      if (result.status === 'challenge_lost') return 'restart';
      if (result.status === 'locked' || view.attempts >= settings.maxCodeAttempts) return 'too_many';
      enter(
        'awaiting_mfa',
        `the last code was not accepted (${view.attempts} of ${settings.maxCodeAttempts} tries)`,
      );
    }
  }

  async function signIn(kind: 'signing_in' | 'reauthenticating'): Promise<void> {
    view.generation += 1;
    Object.assign(view, { attempts: 0, prompts: 0 });
    enter(kind);
    for (;;) {
      const started = await portalSignIn({ tenant, generation: view.generation });
      if (started.status === 'active') return enter('active');
      view.prompts += 1;
      // A code that came in while the previous challenge was being closed answers that challenge (its SMS), not
      // this one: tried here, it would only count as a wrong code.
      if (patched(STALE_CODES_DROPPED)) pendingCode = undefined;
      enter('awaiting_mfa');
      await announce('session.mfa_required', { prompt: view.prompts, channel: started.channel });
      const host = onHost(started.hostQueue, settings.hostPickupMs);
      const outcome = await waitForCode(started.challengeId, host);
      if (outcome === 'active') return enter('active');
      // Best effort: the challenge closes itself after a while anyway. A lost one (its process gone, or the
      // challenge no longer there) has nothing to close, and asking a gone process only waits out the pickup time.
      if (outcome !== 'restart' || !patched(LOST_CHALLENGE_LEFT))
        await host.portalAbandonSignIn({ challengeId: started.challengeId }).catch(() => undefined);
      if (outcome === 'too_many') return fail(`MFA failed: ${view.attempts} wrong codes`);
      if (view.prompts >= settings.maxPrompts) {
        const minutes = Math.round(settings.mfaWaitMs / 60_000);
        return fail(`No MFA code arrived: asked ${view.prompts} times, waiting ${minutes} minutes each time`);
      }
      // A new sign-in makes a new challenge (and a new SMS): the old code has expired by now.
      enter(kind);
    }
  }

  async function signInSafely(kind: 'signing_in' | 'reauthenticating'): Promise<void> {
    try {
      await signIn(kind);
    } catch (err) {
      const cause = innermost(err);
      const details =
        cause instanceof ApplicationFailure && cause.details?.length
          ? (cause.details[0] as Record<string, unknown>)
          : {};
      await fail(cause instanceof Error ? cause.message : 'sign-in failed', {
        failureType: (cause as ApplicationFailure)?.type,
        ...details,
      });
    }
  }

  if (view.state !== 'active' && view.state !== 'failed')
    await signInSafely(view.generation === 0 ? 'signing_in' : 'reauthenticating');
  for (;;) {
    if (view.state === 'failed') {
      await condition(() => retryWanted || historyIsLong());
      if (retryWanted) {
        retryWanted = false;
        await signInSafely('signing_in');
      }
    } else {
      const woke = await condition(() => reauthWanted || historyIsLong(), settings.healthCheckIntervalMs);
      if (!woke && !(await checkPortalSession({ tenant, generation: view.generation })).signedIn)
        reauthWanted = true;
      if (reauthWanted) {
        reauthWanted = false;
        await signInSafely('reauthenticating');
      }
    }
    if (historyIsLong()) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof clioSession>({ tenant, settings, carried: view });
    }
  }
}

/** What receivers elsewhere are told: the paths of drift snapshots on this host stay in the operator's alert. */
function withoutHostPaths(data: Record<string, unknown>): Record<string, unknown> {
  const shared = { ...data };
  delete shared.screenshotPath;
  delete shared.htmlPath;
  return shared;
}

function innermost(err: unknown): unknown {
  let e = err as { cause?: unknown } | undefined;
  while (e?.cause) e = e.cause;
  return e;
}
