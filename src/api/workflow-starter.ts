import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { type SearchAttributePair } from '@temporalio/common';
import { TenantId } from '../../workflows/shared/search-attributes';
import { TASK_QUEUES } from '../../workflows/shared/task-queues';
import { idempotencyKeyReused, sha256Hex } from './idempotency';

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

/** The memo field that records which request a workflow was started for (its content hash). */
const REQUEST_MEMO = 'requestHash';

/**
 * Starts the request's workflow unless its id already names one. An existing workflow is this request's answer
 * only when it was started for the same content: a key sent again with another body (racing the first, or
 * after the key's stored answer expired) is a 409, never the earlier request's workflow passed off as this
 * one's. `started` says whether this call started it (what `workflow_starts_total` counts).
 */
export async function startOnce(
  client: Client,
  type: string,
  opts: {
    workflowId: string;
    tenant: string;
    args: unknown[];
    /** The request's content hash, kept in the workflow's memo. */
    contentHash: string;
    searchAttributes?: SearchAttributePair[];
  },
): Promise<StartedWorkflow & { started: boolean }> {
  const statusUrl = `/v1/workflows/${encodeURIComponent(opts.workflowId)}`;
  try {
    const handle = await client.workflow.start(type, {
      workflowId: opts.workflowId,
      taskQueue: TASK_QUEUES.orchestration,
      args: opts.args,
      // Any workflow already under this id, running or finished, is looked at below rather than run again.
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      memo: { [REQUEST_MEMO]: opts.contentHash },
      typedSearchAttributes: [{ key: TenantId, value: opts.tenant }, ...(opts.searchAttributes ?? [])],
    });
    return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId, statusUrl, started: true };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const described = await client.workflow.getHandle(opts.workflowId).describe();
    const startedFor = described.memo?.[REQUEST_MEMO];
    // Workflows started before the memo existed carry none: they are taken as the same request, as before.
    if (typeof startedFor === 'string' && startedFor !== opts.contentHash) {
      throw idempotencyKeyReused();
    }
    return { workflowId: opts.workflowId, runId: described.runId, statusUrl, started: false };
  }
}
