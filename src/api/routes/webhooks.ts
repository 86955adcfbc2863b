import { Router } from 'express';
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

export function webhooksRouter(deps: {
  webhooks: WebhookRepository;
  urlPolicy: UrlPolicy;
  /** Host name resolution for the URL check (url-policy.ts's defaultResolve by default; tests point names). */
  resolve?: ResolveHost;
}): Router {
  const router = Router();

  router.post('/v1/webhooks', requirePermission('webhooks.manage'), async (req, res) => {
    const { tenant } = principalOf(req);
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
    // The URL as parsed and checked (percent-encoded, no raw control characters), which deliveries then use.
    let created;
    try {
      created = await deps.webhooks.create(tenant, url.href, [...new Set(body.events)]);
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

  router.delete('/v1/webhooks/:id', requirePermission('webhooks.delete'), async (req, res) => {
    const removed = await deps.webhooks.remove(principalOf(req).tenant, String(req.params.id));
    if (!removed) throw notFound('Webhook subscription');
    res.status(204).end();
  });
  return router;
}
