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

/** A session's state, and whether its workflow still runs (one that ended reads as failed, without counters). */
export interface SessionStatus {
  view: Pick<SessionView, 'tenant' | 'state' | 'since'> & Partial<SessionView>;
  running: boolean;
}

/**
 * How the rest of the service talks to a tenant's clioSession workflow (API routes, portal activities).
 *
 * The workflow runs for good (it continues as new); one that ended was terminated by an operator or failed,
 * and stays ended until a person asks for a retry: portal calls and reads do not start it again, since whoever
 * ended it meant the sign-ins to stop. (Once Temporal's retention has removed the ended run, it counts as never
 * started.)
 */
export interface SessionLink {
  /** Starts the tenant's session workflow if it was never started; one that runs or has ended is left as it is. */
  ensure(tenant: string): Promise<void>;
  /** "Generation n no longer works": told to a running session, or to a new one if none was ever started. */
  reportExpired(tenant: string, generation: number): Promise<void>;
  /** The session's state, or undefined when no session workflow exists for the tenant. */
  status(tenant: string): Promise<SessionStatus | undefined>;
  /** The state alone (see `status`). */
  state(tenant: string): Promise<SessionStatus['view'] | undefined>;
  /** A person's retry of a failed session: a running one signs in again, an ended one is started anew. */
  retry(tenant: string): Promise<void>;
}

export function createSessionLink(client: Client, settings: SessionSettings): SessionLink {
  const startOptions = (tenant: string) => ({
    workflowId: clioSessionWorkflowId(tenant),
    taskQueue: TASK_QUEUES.orchestration,
    args: [{ tenant, settings } satisfies ClioSessionInput],
    typedSearchAttributes: [{ key: TenantId, value: tenant }],
  });
  const handle = (tenant: string) => client.workflow.getHandle(clioSessionWorkflowId(tenant));

  /** Ended (any status but running), running, or never started (WorkflowNotFoundError). */
  async function lifecycle(tenant: string): Promise<'running' | 'ended' | 'absent'> {
    try {
      const described = await handle(tenant).describe();
      return described.status.name === 'RUNNING' ? 'running' : 'ended';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return 'absent';
      throw err;
    }
  }

  async function status(tenant: string): Promise<SessionStatus | undefined> {
    try {
      const described = await handle(tenant).describe();
      if (described.status.name === 'RUNNING') {
        return { running: true, view: await handle(tenant).query(sessionStateQuery) };
      }
      // A query would answer the last state, "awaiting_mfa" say, with nobody listening.
      return {
        running: false,
        view: {
          tenant,
          state: 'failed',
          since: (described.closeTime ?? new Date()).toISOString(),
          reason: `The session workflow ended (${described.status.name}); POST .../session/retry starts a new one`,
        },
      };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  return {
    async ensure(tenant) {
      if ((await lifecycle(tenant)) === 'ended') return;
      // signalWithStart is atomic: racing callers all end up with the one running workflow.
      await client.workflow.signalWithStart(CLIO_SESSION_WORKFLOW_TYPE, {
        ...startOptions(tenant),
        signal: ensureSessionSignal,
        signalArgs: [{ settings }],
      });
    },
    async reportExpired(tenant, generation) {
      if ((await lifecycle(tenant)) === 'ended') return;
      await client.workflow.signalWithStart(CLIO_SESSION_WORKFLOW_TYPE, {
        ...startOptions(tenant),
        signal: reauthenticateSignal,
        signalArgs: [{ generation }],
      });
    },
    status,
    async state(tenant) {
      return (await status(tenant))?.view;
    },
    async retry(tenant) {
      if ((await lifecycle(tenant)) === 'running') {
        try {
          await handle(tenant).signal(retrySessionSignal);
          return;
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err; // it ended in between: start a new one
        }
      }
      await client.workflow.signalWithStart(CLIO_SESSION_WORKFLOW_TYPE, {
        ...startOptions(tenant),
        signal: ensureSessionSignal,
        signalArgs: [{ settings }],
      });
    },
  };
}
