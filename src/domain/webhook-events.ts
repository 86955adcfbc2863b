/** The events a webhook subscription can ask for. */
export const WEBHOOK_EVENTS = [
  'workflow.completed',
  'workflow.failed',
  'session.mfa_required',
  'session.failed',
  'billing_run.completed',
  'trust_transfer.completed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** What a receiver gets as the JSON body of a delivery. */
export interface WebhookEvent {
  /** The event's id, stable across retries: receivers dedupe on it (signed, unlike the X-Webhook-Id header). */
  id: string;
  type: WebhookEventType;
  tenant: string;
  occurredAt: string;
  data: Record<string, unknown>;
}
