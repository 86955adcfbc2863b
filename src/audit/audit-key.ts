/**
 * The idempotency key of the audit record for one business step of a workflow: the workflow id (which carries
 * the tenant and the business key) plus a step name unique within that workflow, e.g. `entry-3.created`.
 * It is the same on every retry of the activity, so the retry finds the record instead of writing another.
 */
export function auditIdempotencyKey(workflowId: string, step: string): string {
  if (!workflowId || !step) throw new Error('auditIdempotencyKey needs a workflow id and a step name');
  return `${workflowId}:${step}`;
}
