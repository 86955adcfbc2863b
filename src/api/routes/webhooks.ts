import { Router } from 'express';
import { type AuditAppendInput, type AuditStore } from '../../audit';
import { AuditIdempotencyConflictError } from '../../audit/audit-store';
import { type Requester } from '../../domain/requester';
import { apiActRecord } from '../api-acts';
import { requesterOf } from '../auth/principal';
import { NewSubscriptionSchema } from '../../webhooks/events';
import { SubscriptionLimitReached, type WebhookRepository } from '../../webhooks/repository';
import {
  checkWebhookUrl,
  HostRefused,
  type ResolveHost,
  type UrlPolicy,
  UrlRefused,
} from '../../webhooks/url-policy';
import { AppError, notFound } from '../errors';
import { principalOf } from '../middleware/authenticate';
import { requirePermission } from '../middleware/authorize';
import { parseOrThrow } from '../validation';

/** webhook_subscriptions.url's length (migration 007), the same bound as the request's. */
const MAX_URL_LENGTH = 2048;

/**
 * Where the firm's events go is the firm's to trace: each subscription made or deleted is an audit record naming
 * who did it, the receiver's host (not its path or query, which can hold the receiver's credential) and the events.
 */
function subscriptionRecord(
  tenant: string,
  by: Requester,
  action: 'webhook.subscribed' | 'webhook.deleted',
  id: string,
  refs: Record<string, string>,
): AuditAppendInput {
  return apiActRecord({
    tenant,
    by,
    action,
    target: { kind: 'webhook_subscription', ids: { webhookId: id } },
    workflowId: 'api:webhooks',
    // One record per subscription and act, however often the request is sent again.
    act: id,
    refs,
  });
}

export function webhooksRouter(deps: {
  webhooks: WebhookRepository;
  audit: AuditStore;
  urlPolicy: UrlPolicy;
  /** Host name resolution for the URL check (url-policy.ts's defaultResolve by default; tests point names). */
  resolve?: ResolveHost;
}): Router {
  const router = Router();

  router.post('/v1/webhooks', requirePermission('webhooks.manage'), async (req, res) => {
    const principal = principalOf(req);
    const { tenant } = principal;
    const body = parseOrThrow(NewSubscriptionSchema, req.body);
    let url: URL;
    try {
      url = await checkWebhookUrl(body.url, deps.urlPolicy, deps.resolve);
      // Parsing percent-encodes (one é sent is six characters kept): what is stored must fit the column too,
      // or PostgreSQL refuses the row (a 500) where SQLite would keep it.
      if (url.href.length > MAX_URL_LENGTH)
        throw new UrlRefused(`must be at most ${MAX_URL_LENGTH} characters once percent-encoded`);
    } catch (err) {
      if (!(err instanceof UrlRefused)) throw err;
      // A host name that does not resolve and one that resolves to a refused address get the same answer, so a
      // tenant cannot map the firm's internal DNS by subscribing; which it was (and where the name pointed) is for
      // the operator's log. The host only: a URL's path and query can hold the receiver's credential.
      if (err instanceof HostRefused) req.log.warn({ webhookHostRefused: err.detail }, 'webhook URL refused');
      throw new AppError(400, 'invalid_request', `Invalid request: body.url ${err.message}`, {
        fields: [{ field: 'body.url', reason: err.message }],
      });
    }
    // The URL as parsed and checked (percent-encoded, no raw control characters), which deliveries then use. The
    // subscription and its audit record are written in one transaction: without its record it does not exist.
    let created;
    try {
      created = await deps.webhooks.create(tenant, url.href, [...new Set(body.events)], (trx, subscription) =>
        deps.audit.append(
          subscriptionRecord(tenant, requesterOf(principal), 'webhook.subscribed', subscription.id, {
            host: url.host,
            events: subscription.events.join(' '),
          }),
          { trx },
        ),
      );
    } catch (err) {
      if (!(err instanceof SubscriptionLimitReached)) throw err;
      throw new AppError(
        409,
        'webhook_limit_reached',
        `This tenant holds ${err.limit} webhook subscriptions, the most it may (WEBHOOK_MAX_SUBSCRIPTIONS); delete one first`,
        { limit: err.limit },
      );
    }
    const { subscription, secret } = created;
    // The secret is shown here once; deliveries are signed with it.
    res.status(201).json({ ...subscription, secret });
  });

  router.get('/v1/webhooks', requirePermission('webhooks.list'), async (req, res) => {
    res.json({ data: await deps.webhooks.list(principalOf(req).tenant) });
  });

  router.get('/v1/webhooks/:id/deliveries', requirePermission('webhooks.deliveries'), async (req, res) => {
    const sub = await deps.webhooks.get(principalOf(req).tenant, String(req.params.id));
    if (!sub) throw notFound('Webhook subscription');
    res.json({ data: await deps.webhooks.deliveries(sub.id) });
  });

  /**
   * Deletes first (deliveries stop even if the record cannot be written), keeping who did it with the deletion,
   * then records it. Sent again for a subscription already deleted, by anyone, it writes the record an earlier
   * request failed to write (naming who deleted it, never a second record) and answers 404 as for any
   * subscription that is not there.
   */
  router.delete('/v1/webhooks/:id', requirePermission('webhooks.delete'), async (req, res) => {
    const principal = principalOf(req);
    const id = String(req.params.id);
    const removedNow = await deps.webhooks.remove(principal.tenant, id, requesterOf(principal));
    const deletion = await deps.webhooks.deletion(principal.tenant, id);
    if (!deletion) throw notFound('Webhook subscription');
    // A deletion from before deleters were kept names nobody: then the request at hand is taken for it.
    const by = deletion.by ?? requesterOf(principal);
    try {
      await deps.audit.append(
        subscriptionRecord(principal.tenant, by, 'webhook.deleted', id, { deletedAt: deletion.at }),
      );
    } catch (err) {
      // Deleted and recorded before, by someone else: that record is the act; this request changed nothing.
      if (!(err instanceof AuditIdempotencyConflictError) || removedNow) throw err;
    }
    if (!removedNow) throw notFound('Webhook subscription');
    res.status(204).end();
  });
  return router;
}
