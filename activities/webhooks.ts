import { createHash } from 'node:crypto';
import { activityInfo, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { type WebhookEvent } from '../src/webhooks/events';
import { type WebhookRepository } from '../src/webhooks/repository';
import { signWebhook } from '../src/webhooks/signature';
import { request } from 'undici';
import { webhookDispatcher } from '../src/webhooks/guarded-dispatcher';
import {
  checkWebhookUrl,
  HostRefused,
  type ResolveHost,
  type UrlPolicy,
  untilAborted,
  UrlRefused,
} from '../src/webhooks/url-policy';

/**
 * One deadline for a whole attempt: the URL check's lookup, the connection (its own lookup included) and the
 * answer. The activity's start-to-close timeout (webhookDeliveryOptions, 30 s) must stay well above it, so that an
 * attempt that hits it is still written to the delivery log and counted towards disabling the subscription; an
 * attempt Temporal times out itself is neither.
 */
export const WEBHOOK_ATTEMPT_DEADLINE_MS = 10_000;

export interface WebhookDeps {
  webhooks: WebhookRepository;
  urlPolicy: UrlPolicy;
  maxAttempts: number;
  disableAfterFailures: number;
  /** Host name resolution for the URL check and the connection alike (url-policy.ts's defaultResolve by default). */
  resolve?: ResolveHost;
}

export interface DeliverWebhookInput {
  subscriptionId: string;
  event: WebhookEvent;
  maxAttempts: number;
}

export function createWebhookActivities(deps: WebhookDeps) {
  const dispatcher = webhookDispatcher(deps.urlPolicy, deps.resolve);
  return {
    /** The subscriptions that want this event now, and how many attempts each delivery gets. */
    async findWebhookTargets(
      event: WebhookEvent,
    ): Promise<{ subscriptionIds: string[]; maxAttempts: number }> {
      const subs = await deps.webhooks.activeFor(event.tenant, event.type);
      return { subscriptionIds: subs.map((s) => s.id), maxAttempts: deps.maxAttempts };
    },

    /**
     * One signed POST to one receiver. Every attempt is logged; the delivery id is the same on every attempt so
     * receivers can dedupe. A receiver that keeps failing is disabled; 410 Gone disables it at once.
     */
    async deliverWebhook(input: DeliverWebhookInput): Promise<{ status: number } | { skipped: string }> {
      const { subscriptionId, event } = input;
      const attempt = activityInfo().attempt;
      const sub = await deps.webhooks.get(event.tenant, subscriptionId);
      const secret = sub ? await deps.webhooks.secretOf(subscriptionId) : undefined;
      if (!sub || !secret) return { skipped: 'subscription deleted' };
      if (sub.disabledAt) return { skipped: 'subscription disabled' };
      const deliveryId = createHash('sha256')
        .update(`${event.id}\n${subscriptionId}`)
        .digest('hex')
        .slice(0, 32);
      const logAttempt = (
        outcome: 'delivered' | 'failed',
        responseStatus: number | null,
        error: string | null,
      ) =>
        deps.webhooks.logAttempt(subscriptionId, {
          deliveryId,
          eventId: event.id,
          eventType: event.type,
          attempt,
          outcome,
          responseStatus,
          error,
        });

      const refuse = async (err: UrlRefused) => {
        await logAttempt('failed', null, `target refused: ${err.message}`);
        await deps.webhooks.disable(subscriptionId, `target refused: ${err.message}`);
        return ApplicationFailure.nonRetryable(
          `Webhook target refused: ${err.message}`,
          'WebhookTargetRefused',
        );
      };
      const body = JSON.stringify(event);
      const timestamp = String(Math.floor(Date.now() / 1000));
      let status: number | null = null;
      let error: string | null = null;
      const deadline = AbortSignal.timeout(WEBHOOK_ATTEMPT_DEADLINE_MS);
      try {
        // A lookup that outlives the deadline ends the check with HostRefused ('did not resolve in time').
        await checkWebhookUrl(sub.url, deps.urlPolicy, deps.resolve, deadline);
        // undici's request follows no redirect: one could point inside the network the URL check protected.
        const sending = request(sub.url, {
          method: 'POST',
          dispatcher,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'clio-orchestrator-webhooks',
            'x-webhook-id': deliveryId,
            'x-webhook-timestamp': timestamp,
            'x-webhook-signature': signWebhook(secret, timestamp, body),
          },
          body,
          signal: deadline,
        });
        // undici acts on the signal only once the connection is up: a connection whose lookup stalls would hold
        // the attempt until undici's own connect timeout, counted from the request, not from the attempt. So the
        // attempt waits for the request no longer than the deadline; the request, aborted as soon as it
        // connects (or failing to), settles later unobserved.
        sending.catch(() => undefined);
        const res = await untilAborted(sending, deadline);
        status = res.statusCode;
        await res.body.dump();
      } catch (err) {
        const refused = refusalIn(err);
        if (refused instanceof HostRefused) {
          // The host name does not resolve now, or resolves to an address the policy refuses (re-pointed since
          // the subscription: DNS rebinding). Either is a failed attempt, retried and counted like any other, and
          // the tenant reads the same words for both (the delivery log, the subscription's disabled reason): what
          // the firm's DNS holds is for the operator, whose log says which it was and where the name pointed.
          log.warn('Webhook receiver host refused', { subscriptionId, attempt, detail: refused.detail });
        } else if (refused) {
          // An address written in the URL that the policy refuses (now): it stays refused, nothing is revealed.
          throw await refuse(refused);
        }
        error = refused
          ? refused.message
          : deadline.aborted
            ? `no answer within ${WEBHOOK_ATTEMPT_DEADLINE_MS / 1000} s`
            : err instanceof Error
              ? err.message
              : String(err);
      }

      if (status !== null && status >= 200 && status < 300) {
        await logAttempt('delivered', status, null);
        await deps.webhooks.markDelivered(subscriptionId);
        return { status };
      }
      const reason = status !== null ? `receiver answered ${status}` : `receiver unreachable: ${error}`;
      await logAttempt('failed', status, reason);
      if (status === 410) {
        await deps.webhooks.disable(subscriptionId, 'receiver answered 410 Gone');
        throw ApplicationFailure.nonRetryable(
          'Webhook receiver answered 410 Gone; subscription disabled',
          'WebhookGone',
        );
      }
      if (attempt >= input.maxAttempts) {
        const disabled = await deps.webhooks.markFailed(
          subscriptionId,
          deps.disableAfterFailures,
          `${deps.disableAfterFailures} deliveries failed; last: ${reason}`,
        );
        if (disabled) log.warn('Webhook subscription disabled after repeated failures', { subscriptionId });
      }
      throw ApplicationFailure.retryable(`Webhook delivery failed: ${reason}`, 'WebhookDeliveryFailed');
    },
  };
}

/** The connection's own address check (guarded-dispatcher.ts) refused, directly or as the cause of a connect error. */
function refusalIn(err: unknown): UrlRefused | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 3; e = e.cause, depth++) {
    if (e instanceof UrlRefused) return e;
  }
  return undefined;
}
