import { proxyActivities } from '@temporalio/workflow';
import type { createWebhookActivities } from '../activities/webhooks';
import type { WebhookEvent } from '../src/domain/webhook-events';
import { localActivityOptions, webhookDeliveryOptions } from './shared/activity-options';

type WebhookActivities = ReturnType<typeof createWebhookActivities>;
const { findWebhookTargets } = proxyActivities<WebhookActivities>(localActivityOptions);

/**
 * Delivers one event to every subscription that wants it, each with its own retries and backoff. Runs as a
 * child the emitting workflow does not wait for, so a slow receiver never holds up the firm's work.
 */
export async function deliverEvent(event: WebhookEvent): Promise<{ delivered: number; failed: number }> {
  const { subscriptionIds, maxAttempts } = await findWebhookTargets(event);
  const { deliverWebhook } = proxyActivities<WebhookActivities>(webhookDeliveryOptions(maxAttempts));
  const results = await Promise.allSettled(
    subscriptionIds.map((subscriptionId) => deliverWebhook({ subscriptionId, event, maxAttempts })),
  );
  const failed = results.filter((r) => r.status === 'rejected').length;
  return { delivered: results.length - failed, failed };
}
