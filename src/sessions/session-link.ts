import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { TenantId } from '../../workflows/shared/search-attributes';
import {
  CLIO_SESSION_WORKFLOW_TYPE,
  clioSessionWorkflowId,
  ensureSessionSignal,
  reauthenticateSignal,
  sessionStateQuery,
  type ClioSessionInput,
  type SessionSettings,
  type SessionView,
} from '../../workflows/shared/session-messages';
import { TASK_QUEUES } from '../../workflows/shared/task-queues';

/** How the rest of the service talks to a tenant's clioSession workflow (API routes, portal activities). */
export interface SessionLink {
  /** Starts the tenant's session workflow unless it runs already. */
  ensure(tenant: string): Promise<void>;
  /** "Generation n no longer works": starts the workflow too if it is somehow gone. */
  reportExpired(tenant: string, generation: number): Promise<void>;
  /** The session's state, or undefined when no session workflow exists for the tenant. */
  state(tenant: string): Promise<SessionView | undefined>;
}

export function createSessionLink(client: Client, settings: SessionSettings): SessionLink {
  const startOptions = (tenant: string) => ({
    workflowId: clioSessionWorkflowId(tenant),
    taskQueue: TASK_QUEUES.orchestration,
    args: [{ tenant, settings } satisfies ClioSessionInput],
    typedSearchAttributes: [{ key: TenantId, value: tenant }],
  });
  return {
    async ensure(tenant) {
      // signalWithStart is atomic: racing callers all end up with the one running workflow.
      await client.workflow.signalWithStart(CLIO_SESSION_WORKFLOW_TYPE, {
        ...startOptions(tenant),
        signal: ensureSessionSignal,
      });
    },
    async reportExpired(tenant, generation) {
      await client.workflow.signalWithStart(CLIO_SESSION_WORKFLOW_TYPE, {
        ...startOptions(tenant),
        signal: reauthenticateSignal,
        signalArgs: [{ generation }],
      });
    },
    async state(tenant) {
      try {
        return await client.workflow.getHandle(clioSessionWorkflowId(tenant)).query(sessionStateQuery);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return undefined;
        throw err;
      }
    },
  };
}
