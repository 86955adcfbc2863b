import { z } from 'zod';

/** Shapes of the API's answers: the OpenAPI document is generated from these and the request schemas. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z
        .object({ fields: z.array(z.object({ field: z.string(), reason: z.string() })).optional() })
        .catchall(z.unknown())
        .optional(),
    }),
  })
  .meta({ id: 'Error' });

export const StartedWorkflowSchema = z
  .object({ workflowId: z.string(), runId: z.string(), statusUrl: z.string() })
  .meta({ id: 'StartedWorkflow' });

export const WorkflowStatusSchema = z.enum([
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CANCELED',
  'TERMINATED',
  'TIMED_OUT',
  'CONTINUED_AS_NEW',
]);

export const WorkflowViewSchema = z
  .object({
    workflowId: z.string(),
    runId: z.string(),
    type: z.string(),
    status: WorkflowStatusSchema,
    startTime: z.string(),
    closeTime: z.string().optional(),
    result: z.unknown().optional(),
    failure: z
      .object({ message: z.string(), type: z.string().optional(), details: z.unknown().optional() })
      .optional(),
  })
  .meta({ id: 'WorkflowView' });

export const ReadinessSchema = z
  .object({
    ready: z.boolean(),
    temporal: z.enum(['reachable', 'unreachable']),
    taskQueues: z.array(z.object({ name: z.string(), kind: z.string(), pollers: z.number() })),
    shuttingDown: z
      .literal(true)
      .optional()
      .meta({ description: 'The API has been told to stop: not ready, whatever Temporal says' }),
  })
  .meta({ id: 'Readiness' });

export const IdempotencyKeyHeader = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe('Same key + same body → the first answer again; other body → 409'),
});

export const SubscriptionSchema = z
  .object({
    id: z.string(),
    tenant: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    createdAt: z.string(),
    disabledAt: z.string().nullable(),
    disabledReason: z.string().nullable(),
    consecutiveFailures: z.number().int(),
  })
  .meta({ id: 'WebhookSubscription' });

export const DeliveryAttemptSchema = z
  .object({
    deliveryId: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    attempt: z.number().int(),
    outcome: z.enum(['delivered', 'failed']),
    responseStatus: z.number().int().nullable(),
    error: z.string().nullable(),
    at: z.string(),
  })
  .meta({ id: 'WebhookDelivery' });
