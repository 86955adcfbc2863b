import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { type SearchAttributePair } from '@temporalio/common';
import { TenantId } from '../../workflows/shared/search-attributes';
import { TASK_QUEUES } from '../../workflows/shared/task-queues';
import { sha256Hex } from './idempotency';

export interface StartedWorkflow {
  workflowId: string;
  runId: string;
  statusUrl: string;
}

/**
 * The id of a request's workflow: tenant + Idempotency-Key when given, else the request's content. Two identical
 * requests, even racing, name the same workflow, and Temporal itself refuses to run it twice.
 */
export function workflowIdFor(
  type: string,
  tenant: string,
  idempotencyKey: string | undefined,
  contentHash: string,
): string {
  const basis = idempotencyKey !== undefined ? `key:${idempotencyKey}` : `content:${contentHash}`;
  return `${type}-${tenant}-${sha256Hex(`${tenant}\n${basis}`).slice(0, 32)}`;
}

export async function startOnce(
  client: Client,
  type: string,
  opts: { workflowId: string; tenant: string; args: unknown[]; searchAttributes?: SearchAttributePair[] },
): Promise<StartedWorkflow> {
  const statusUrl = `/v1/workflows/${encodeURIComponent(opts.workflowId)}`;
  try {
    const handle = await client.workflow.start(type, {
      workflowId: opts.workflowId,
      taskQueue: TASK_QUEUES.orchestration,
      args: opts.args,
      // A running duplicate is the same request: answer with it. A finished one is not run again either.
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [{ key: TenantId, value: opts.tenant }, ...(opts.searchAttributes ?? [])],
    });
    return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId, statusUrl };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const described = await client.workflow.getHandle(opts.workflowId).describe();
    return { workflowId: opts.workflowId, runId: described.runId, statusUrl };
  }
}
