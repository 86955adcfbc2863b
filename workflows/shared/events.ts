import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, startChild, workflowInfo } from '@temporalio/workflow';
import type { WebhookEvent, WebhookEventType } from '../../src/domain/webhook-events';

/**
 * Emits a business event as a `deliverEvent` child that outlives this run (ABANDON). Its id is derived from this
 * run and the event type, so a replayed or retried emission names the same child and delivers once.
 */
export async function emitEvent(
  tenant: string,
  type: WebhookEventType,
  data: Record<string, unknown>,
): Promise<void> {
  const { workflowId, runId } = workflowInfo();
  const event: WebhookEvent = {
    id: `${workflowId}:${runId}:${type}`,
    type,
    tenant,
    occurredAt: new Date().toISOString(),
    data,
  };
  try {
    await startChild('deliverEvent', {
      workflowId: `${workflowId}:event:${type}`,
      args: [event],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    });
  } catch (err) {
    // Delivered already, by an earlier run of this workflow id (one an operator reset): not this run's failure.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
