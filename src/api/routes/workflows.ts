import { Router } from 'express';
import { type Client, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure, type TemporalFailure } from '@temporalio/common';
import { TenantId } from '../../../workflows/shared/search-attributes';
import { notFound } from '../errors';
import { principalOf } from '../middleware/authenticate';
import { requirePermission } from '../middleware/authorize';
import { type TemporalTimeout } from '../temporal-timeout';

interface FailureView {
  message: string;
  type?: string;
  details?: unknown;
}

function failureView(err: unknown): FailureView {
  let cause: unknown = err instanceof WorkflowFailedError ? err.cause : err;
  // The business failure is the innermost ApplicationFailure (an activity's, or the workflow's own).
  while (cause && !(cause instanceof ApplicationFailure) && (cause as TemporalFailure).cause) {
    cause = (cause as TemporalFailure).cause;
  }
  if (cause instanceof ApplicationFailure) {
    const details = cause.details?.length === 1 ? cause.details[0] : cause.details;
    return { message: cause.message, type: cause.type ?? undefined, ...(details ? { details } : {}) };
  }
  return { message: cause instanceof Error ? cause.message : 'The workflow did not complete' };
}

export function workflowsRouter(deps: { temporal: Client; within: TemporalTimeout }): Router {
  const router = Router();
  router.get('/v1/workflows/:workflowId', requirePermission('workflows.read'), async (req, res) => {
    const principal = principalOf(req);
    const handle = deps.temporal.workflow.getHandle(req.params.workflowId as string);
    let description;
    try {
      description = await deps.within(handle.describe());
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound('Workflow');
      throw err;
    }
    // Another tenant's workflow is not "forbidden", it does not exist for this caller.
    if (description.typedSearchAttributes.get(TenantId) !== principal.tenant) throw notFound('Workflow');
    // The contract uses Temporal's wire names (the TypeScript SDK spells one of them CANCELLED).
    const status = description.status.name === 'CANCELLED' ? 'CANCELED' : description.status.name;
    const view: Record<string, unknown> = {
      workflowId: description.workflowId,
      runId: description.runId,
      type: description.type,
      status,
      startTime: description.startTime,
      closeTime: description.closeTime,
    };
    if (status === 'COMPLETED') view.result = await deps.within(handle.result());
    else if (
      status === 'FAILED' ||
      status === 'TIMED_OUT' ||
      status === 'TERMINATED' ||
      status === 'CANCELED'
    ) {
      view.failure = await deps.within(
        handle.result().then(
          () => undefined,
          (err: unknown) => failureView(err),
        ),
      );
    }
    res.json(view);
  });
  return router;
}
