import { Router } from 'express';
import { type Client } from '@temporalio/client';
import { TimeEntriesRequestSchema, type TimeCaptureInput } from '../../domain/time-entries';
import { requestHash } from '../idempotency';
import { type ApiMetrics } from '../metrics';
import { requesterOf } from '../auth/principal';
import { principalOf } from '../middleware/authenticate';
import { requirePermission } from '../middleware/authorize';
import { parseOrThrow } from '../validation';
import { type TemporalTimeout } from '../temporal-timeout';
import { startOnce, workflowIdFor } from '../workflow-starter';

export function timeEntriesRouter(deps: {
  temporal: Client;
  within: TemporalTimeout;
  metrics: ApiMetrics;
}): Router {
  const router = Router();
  router.post('/v1/time-entries', requirePermission('time_entries.create'), async (req, res) => {
    const principal = principalOf(req);
    const body = parseOrThrow(TimeEntriesRequestSchema, req.body);
    const key = req.headers['idempotency-key'] as string | undefined;
    const input: TimeCaptureInput = {
      tenant: principal.tenant,
      entries: body.entries,
      requestedBy: requesterOf(principal),
    };
    const contentHash = requestHash('POST', '/v1/time-entries', body);
    const workflowId = workflowIdFor('timeCapture', principal.tenant, key, contentHash);
    const { started, ...answer } = await deps.within(
      startOnce(deps.temporal, 'timeCapture', {
        workflowId,
        tenant: principal.tenant,
        args: [input],
        contentHash,
      }),
    );
    if (started) deps.metrics.workflowStarts.inc({ type: 'timeCapture' });
    res.status(202).json(answer);
  });
  return router;
}
