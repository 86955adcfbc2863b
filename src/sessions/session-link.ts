import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { TenantId } from '../../workflows/shared/search-attributes';
import {
  CLIO_SESSION_WORKFLOW_TYPE,
  clioSessionWorkflowId,
  ensureSessionSignal,
  reauthenticateSignal,
  retrySessionSignal,
  sessionStateQuery,
  type ClioSessionInput,
  type SessionSettings,
  type SessionView,
} from '../../workflows/shared/session-messages';
import { TASK_QUEUES } from '../../workflows/shared/task-queues';

/** A session's state; one whose workflow ended reads as failed, without counters. */
export type SessionReading = Pick<SessionView, 'tenant' | 'state' | 'since'> & Partial<SessionView>;

/** The run of a tenant's session workflow that Temporal described. */
export interface SessionRun {
  /** The first run id of its chain of runs (continue-as-new keeps it; a retry that starts anew makes a new one). */
  chain: string;
  /** Temporal's status name: RUNNING, or how it ended (TERMINATED, FAILED, TIMED_OUT, CANCELED, ...). */
  status: string;
  /** When it ended (absent while it runs). */
  closedAt?: Date;
}

/** The session's state as `state` reads it, with the run it read (what the service records, never an API answer). */
export type SessionLook = SessionReading & { run?: SessionRun };

/**
 * How the rest of the service talks to a tenant's clioSession workflow (API routes, portal activities).
 *
 * The workflow runs for good (it continues as new); one that ended was terminated by an operator or failed,
 * and stays ended until a person asks for a retry: portal calls and reads do not start it again, since whoever
 * ended it meant the sign-ins to stop. The link knows only what Temporal knows: once Temporal's retention has removed
 * an ended run, it finds none, so callers read the session through `sessionReading` (src/sessions/session-reading.ts),
 * which remembers in the service store that one ran.
 */
export interface SessionLink {
  /**
   * Starts the tenant's session workflow if Temporal has none; one that runs or has ended is left as it is. Answers
   * the run that is there afterwards (undefined only if it could not be described).
   */
  ensure(tenant: string): Promise<SessionRun | undefined>;
  /** "Generation n no longer works": told to a running session, or to a new one if none was ever started. */
  reportExpired(tenant: string, generation: number): Promise<void>;
  /** The session's state and the run it read, or undefined when Temporal has no session workflow for the tenant. */
  state(tenant: string): Promise<SessionLook | undefined>;
  /**
   * A person's retry of a failed session: a running one signs in again, an ended (or forgotten) one is started
   * anew. Answers the run that now signs in (undefined only if it could not be described).
   */
  retry(tenant: string): Promise<SessionRun | undefined>;
}

export function createSessionLink(client: Client, settings: SessionSettings): SessionLink {
  const startOptions = (tenant: string) => ({
    workflowId: clioSessionWorkflowId(tenant),
    taskQueue: TASK_QUEUES.orchestration,
    args: [{ tenant, settings } satisfies ClioSessionInput],
    typedSearchAttributes: [{ key: TenantId, value: tenant }],
  });
  const handle = (tenant: string) => client.workflow.getHandle(clioSessionWorkflowId(tenant));

  /** The workflow's description, or undefined when it was never started (or Temporal has forgotten it). */
  async function described(tenant: string) {
    try {
      return await handle(tenant).describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }
  const runOf = (d: NonNullable<Awaited<ReturnType<typeof described>>>): SessionRun => ({
    // An older server that does not name the chain's first run: the run itself then stands for its chain.
    chain: d.raw.workflowExecutionInfo?.firstRunId || d.runId,
    status: d.status.name,
    ...(d.status.name === 'RUNNING' || !d.closeTime ? {} : { closedAt: d.closeTime }),
  });
  const currentRun = async (tenant: string) => {
    const d = await described(tenant);
    return d && runOf(d);
  };
  const hasEnded = async (tenant: string) => {
    const d = await described(tenant);
    return d !== undefined && d.status.name !== 'RUNNING';
  };
  // signalWithStart is atomic: racing callers all end up with the one running workflow.
  const startOrEnsure = (tenant: string) =>
    client.workflow.signalWithStart(CLIO_SESSION_WORKFLOW_TYPE, {
      ...startOptions(tenant),
      signal: ensureSessionSignal,
      signalArgs: [{ settings }],
    });

  return {
    async ensure(tenant) {
      const before = await currentRun(tenant);
      if (before && before.status !== 'RUNNING') return before;
      await startOrEnsure(tenant);
      return currentRun(tenant);
    },
    async reportExpired(tenant, generation) {
      if (await hasEnded(tenant)) return;
      await client.workflow.signalWithStart(CLIO_SESSION_WORKFLOW_TYPE, {
        ...startOptions(tenant),
        signal: reauthenticateSignal,
        signalArgs: [{ generation }],
      });
    },
    async state(tenant) {
      const d = await described(tenant);
      if (!d) return undefined;
      const run = runOf(d);
      if (d.status.name === 'RUNNING') return { ...(await handle(tenant).query(sessionStateQuery)), run };
      // A query would answer the last state, "awaiting_mfa" say, with nobody listening.
      return {
        tenant,
        state: 'failed',
        since: (d.closeTime ?? new Date()).toISOString(),
        reason: `The session workflow ended (${d.status.name}); POST .../session/retry starts a new one`,
        run,
      };
    },
    async retry(tenant) {
      const d = await described(tenant);
      if (d?.status.name === 'RUNNING') {
        try {
          await handle(tenant).signal(retrySessionSignal);
          return runOf(d);
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err; // it ended in between: start a new one
        }
      }
      await startOrEnsure(tenant);
      return currentRun(tenant);
    },
  };
}
