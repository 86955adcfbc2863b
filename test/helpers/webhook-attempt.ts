import { randomBytes } from 'node:crypto';
import { type Logger } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { type createWebhookActivities } from '../../activities/webhooks';

type WebhookActivities = ReturnType<typeof createWebhookActivities>;

/**
 * One attempt of the delivery activity as Temporal would run it (attempts count from 1), for a fresh
 * `workflow.completed` event of `tenant`; settles to its value or its error rather than rejecting. `logger`
 * receives what the activity logs (the operator's log).
 */
export function deliveryAttempt(
  activities: WebhookActivities,
  subscriptionId: string,
  opts: { attempt?: number; tenant?: string; logger?: Logger } = {},
): Promise<{ value: unknown } | { err: unknown }> {
  return new MockActivityEnvironment({ attempt: opts.attempt ?? 1 }, { logger: opts.logger })
    .run((input) => activities.deliverWebhook(input), {
      subscriptionId,
      event: {
        id: `evt-${randomBytes(4).toString('hex')}`,
        type: 'workflow.completed' as const,
        tenant: opts.tenant ?? 'firm-a',
        occurredAt: new Date().toISOString(),
        data: {},
      },
      maxAttempts: 3,
    })
    .then(
      (value) => ({ value }),
      (err: unknown) => ({ err }),
    );
}
