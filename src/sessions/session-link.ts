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
  state(tenant: string): Promise<SessionReading | undefined>;
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

  /** The workflow's description, or undefined when it was never started (or Temporal has forgotten it). */
  async function described(tenant: string) {
    try {
      return await handle(tenant).describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }
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
      if (!(await hasEnded(tenant))) await startOrEnsure(tenant);
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
      if (d.status.name === 'RUNNING') return handle(tenant).query(sessionStateQuery);
      // A query would answer the last state, "awaiting_mfa" say, with nobody listening.
      return {
        tenant,
        state: 'failed',
        since: (d.closeTime ?? new Date()).toISOString(),
        reason: `The session workflow ended (${d.status.name}); POST .../session/retry starts a new one`,
      };
    },
    async retry(tenant) {
      if ((await described(tenant))?.status.name === 'RUNNING') {
        try {
          await handle(tenant).signal(retrySessionSignal);
          return;
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err; // it ended in between: start a new one
        }
      }
      await startOrEnsure(tenant);
    },
  };
}
