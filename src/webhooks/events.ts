import { z } from 'zod';
import { WEBHOOK_EVENTS } from '../domain/webhook-events';

export { WEBHOOK_EVENTS, type WebhookEvent, type WebhookEventType } from '../domain/webhook-events';

export const NewSubscriptionSchema = z
  .object({
    url: z.string().max(2048, 'must be at most 2048 characters'),
    events: z.array(z.enum(WEBHOOK_EVENTS)).min(1, 'must name at least one event').max(WEBHOOK_EVENTS.length),
  })
  .strict();
