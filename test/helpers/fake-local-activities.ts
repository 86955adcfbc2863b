import { type RecordAuditInput } from '../../activities/audit';
import { type WebhookEvent } from '../../src/webhooks/events';

/** Stand-ins for the store-backed activities of the orchestration queue, recording what workflows asked. */
export function fakeLocalActivities() {
  const audits: RecordAuditInput[] = [];
  const events: WebhookEvent[] = [];
  return {
    audits,
    events,
    activities: {
      recordAudit: (a: RecordAuditInput) => {
        audits.push(a);
        return Promise.resolve({ id: String(audits.length), seq: audits.length });
      },
      findWebhookTargets: (e: WebhookEvent) => {
        events.push(e);
        return Promise.resolve({ subscriptionIds: [] as string[], maxAttempts: 1 });
      },
    },
  };
}
