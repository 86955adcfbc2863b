import { type SessionLink, type SessionReading, type SessionRun } from './session-link';
import { type SessionWorkflowRecords } from './session-workflows';

export interface SessionReadingDeps {
  link: SessionLink;
  /** The session store (its SessionWorkflowRecords part). */
  store: SessionWorkflowRecords;
  /** Bounds each call to Temporal (the API's request timeout); calls run unbounded without it. */
  within?: <T>(call: Promise<T>) => Promise<T>;
}

const RETRY_HINT = 'POST .../session/retry starts a new one';

/** Why a session whose workflow Temporal no longer has reads as failed, when nobody saw how it ended. */
const FORGOTTEN_REASON =
  'The session workflow ended and Temporal no longer keeps it (its retention period passed), so how is not known; ' +
  RETRY_HINT;

/**
 * The tenant's session as every caller should read it, or undefined when it was never started.
 *
 * Temporal alone cannot tell: it forgets an ended run after the namespace's retention period (a day on the dev
 * server, often 3 to 30 in production), and the session would then count as never started, so the next portal call
 * or bill PDF would sign in again although whoever ended it meant the sign-ins to stop. So the service store keeps
 * what was seen: a running workflow's chain, and how and when it ended. A tenant whose session workflow ran (the
 * service started it, saw it, or stored its sign-in) and that Temporal no longer has reads as failed, with the reason
 * seen when it ended, until a person's retry starts a new one. A running workflow is always what counts: an end
 * recorded for an older run never stops the session a person has just restarted.
 */
export async function sessionReading(
  deps: SessionReadingDeps,
  tenant: string,
): Promise<SessionReading | undefined> {
  return (await read(deps, tenant))?.reading;
}

/** The reading, and whether Temporal has a running session workflow for the tenant. */
async function read(
  deps: SessionReadingDeps,
  tenant: string,
): Promise<{ reading: SessionReading; running: boolean } | undefined> {
  const look = await within(deps)(deps.link.state(tenant));
  if (look) {
    const { run, ...reading } = look;
    if (run) await noteRun(deps.store, tenant, run, reading.reason);
    // A link that names no run (a test's) speaks of a running session unless it says the session failed.
    return { reading, running: run ? run.status === 'RUNNING' : reading.state !== 'failed' };
  }
  let known = await deps.store.lastWorkflow(tenant);
  if (!known) return undefined;
  if (!known.ended) {
    // Ended unseen (its close was never looked at before Temporal forgot it): from now on it reads as this.
    await deps.store.noteEnded(tenant, {
      chain: known.chain,
      status: 'NOT_FOUND',
      reason: FORGOTTEN_REASON,
      at: new Date(),
    });
    // Another process may have recorded the end first: read what stands.
    known = (await deps.store.lastWorkflow(tenant)) ?? known;
  }
  return {
    reading: {
      tenant,
      state: 'failed',
      since: (known.ended?.at ?? known.updatedAt).toISOString(),
      reason: known.ended?.reason ?? FORGOTTEN_REASON,
    },
    running: false,
  };
}

/**
 * The worker's "run, with these settings" at start: a running session workflow is told the settings, a tenant whose
 * session was never started gets one, and one that ended is left as it is (that needs a person's retry). Answers the
 * session as it was read (undefined: it was never started, and now is).
 */
export async function ensureSession(
  deps: SessionReadingDeps,
  tenant: string,
): Promise<SessionReading | undefined> {
  const seen = await read(deps, tenant);
  if (!seen) {
    await startSession(deps, tenant);
    return undefined;
  }
  if (seen.running) await within(deps)(deps.link.ensure(tenant));
  return seen.reading;
}

/** Starts the session of a tenant that never had one (sessionReading answered undefined), and remembers it. */
export async function startSession(deps: SessionReadingDeps, tenant: string): Promise<void> {
  const run = await within(deps)(deps.link.ensure(tenant));
  // Remembered before anyone could end it: should it end unseen, the tenant still reads as ended.
  if (run) await noteRun(deps.store, tenant, run, undefined);
  else await deps.store.noteRunning(tenant);
}

/** A person's retry: the session signs in again, and an end recorded before no longer stands in its way. */
export async function retrySession(deps: SessionReadingDeps, tenant: string): Promise<void> {
  const run = await within(deps)(deps.link.retry(tenant));
  if (run) await noteRun(deps.store, tenant, run, undefined);
}

function within(deps: SessionReadingDeps): <T>(call: Promise<T>) => Promise<T> {
  return deps.within ?? (<T>(call: Promise<T>) => call);
}

async function noteRun(
  store: SessionWorkflowRecords,
  tenant: string,
  run: SessionRun,
  reason: string | undefined,
): Promise<void> {
  if (run.status === 'RUNNING') return store.noteRunning(tenant, run.chain);
  await store.noteEnded(tenant, {
    chain: run.chain,
    status: run.status,
    reason: reason ?? `The session workflow ended (${run.status}); ${RETRY_HINT}`,
    at: run.closedAt ?? new Date(),
  });
}
