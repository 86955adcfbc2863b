import { activityInfo } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { ZodError } from 'zod';
import {
  AuditIdempotencyConflictError,
  type AuditStore,
  auditIdempotencyKey,
  hashData,
  type AuditActor,
  type AuditTarget,
} from '../src/audit';

export interface RecordAuditInput {
  tenant: string;
  actor: AuditActor;
  action: string;
  target: AuditTarget;
  /** Unique within the workflow: with the workflow id it is the record's idempotency key. */
  step: string;
  outcome: string;
  rationale?: string;
  /** Business data the step acted on: only its hash is stored. */
  data?: unknown;
  refs?: Record<string, string>;
}

export function createAuditActivities(deps: { audit: AuditStore }) {
  return {
    /** One audit record per business step; a retry finds the record its earlier attempt wrote. */
    async recordAudit(input: RecordAuditInput): Promise<{ id: string; seq: number }> {
      const execution = activityInfo().workflowExecution;
      if (!execution) throw new Error('recordAudit runs only as a workflow activity');
      const { workflowId, runId } = execution;
      const result = await deps.audit
        .append({
          tenant: input.tenant,
          actor: input.actor,
          action: input.action,
          target: input.target,
          workflowId,
          runId,
          idempotencyKey: auditIdempotencyKey(workflowId, input.step),
          outcome: input.outcome,
          rationale: input.rationale,
          dataHash: input.data === undefined ? undefined : hashData(input.data),
          refs: input.refs,
        })
        .catch((err: unknown) => {
          // An invalid record is a bug in the calling workflow: retrying cannot fix it.
          if (err instanceof ZodError)
            throw ApplicationFailure.nonRetryable(
              `Invalid audit record: ${err.message}`,
              'InvalidAuditRecord',
            );
          // Another act under this step's key: the workflow names two steps alike; retrying cannot fix that either.
          if (err instanceof AuditIdempotencyConflictError)
            throw ApplicationFailure.nonRetryable(err.message, 'AuditRecordConflict');
          throw err;
        });
      return { id: result.record.id, seq: result.record.seq };
    },
  };
}
