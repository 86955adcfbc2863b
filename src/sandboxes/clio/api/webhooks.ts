import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { notFound, unprocessable } from '../http/errors';
import { parseFields } from '../http/fields-param';
import type { SandboxState } from '../state/sandbox-state';
import { dataOf, parseInput, zBool } from './input';
import type { ApiContext, ResourceDef } from './resource-def';
import { metaFor } from './resource-meta';
import { apiContext, sendRecord } from './respond';
import type { WebhookDispatcher } from './webhook-dispatcher';
import { MODEL_COLLECTIONS, MODEL_NUMBERS } from './webhook-models';

const DAY_MS = 86_400_000;
const EVENTS = ['created', 'updated', 'deleted', 'matter_opened', 'matter_pended', 'matter_closed'] as const;
const WebhookInput = z.object({
  url: z.string().url(),
  model: z.union([z.enum(Object.keys(MODEL_COLLECTIONS) as [string, ...string[]]), z.coerce.number().int()]),
  events: z.array(z.enum(EVENTS)).min(1),
  fields: z.string().min(1).max(1000),
  expires_at: z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO-8601 timestamp')
    .optional(),
});

/** Clio accepts https only; the sandbox also accepts http to loopback so local receivers can be tested. */
function checkUrl(url: string): void {
  const u = new URL(url);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback))
    throw unprocessable('url must use https');
}

/** Default expiry 3 days, at most 31 days ahead (Clio's rules). */
function expiry(raw: string | undefined): string {
  const now = Date.now();
  const at = raw === undefined ? now + 3 * DAY_MS : Date.parse(raw);
  if (at <= now) throw unprocessable('expires_at must be in the future');
  if (at > now + 31 * DAY_MS) throw unprocessable('expires_at can be at most 31 days from now');
  return new Date(at).toISOString();
}

function modelName(model: string | number): string {
  const name = typeof model === 'number' ? MODEL_NUMBERS[model] : model;
  if (!name || !MODEL_COLLECTIONS[name]) throw unprocessable(`Unknown model ${String(model)}`);
  return name;
}

export function webhooksDef(dispatcher: WebhookDispatcher): ResourceDef {
  return {
    meta: metaFor('webhooks'),
    path: 'webhooks',
    filter: (f) => f.text(['url']),
    create: (ctx: ApiContext, body) => {
      const input = parseInput(WebhookInput, dataOf(body));
      checkUrl(input.url);
      const model = modelName(input.model);
      if (input.events.some((e) => e.startsWith('matter_')) && model !== 'matter')
        throw unprocessable('matter_* events apply to the matter model only');
      parseFields(input.fields, metaFor(MODEL_COLLECTIONS[model] as string).schema);
      const doc = ctx.state.store.insert('webhooks', {
        url: input.url,
        model,
        events: input.events,
        fields: input.fields,
        status: 'pending',
        expires_at: expiry(input.expires_at),
        shared_secret: randomBytes(24).toString('hex'),
        user: { id: ctx.userId },
      });
      dispatcher.handshake(doc.id);
      return doc;
    },
    update: (ctx, current, body) => {
      const input = parseInput(WebhookInput.partial().extend({ enabled: zBool.optional() }), dataOf(body));
      const patch: Record<string, unknown> = {};
      if (input.url) {
        checkUrl(input.url);
        // A new URL needs a new handshake.
        Object.assign(patch, { url: input.url, status: 'pending' });
      }
      if (input.events) patch.events = input.events;
      if (input.fields) {
        parseFields(input.fields, metaFor(MODEL_COLLECTIONS[String(current.model)] as string).schema);
        patch.fields = input.fields;
      }
      if (input.expires_at) patch.expires_at = expiry(input.expires_at);
      const doc = ctx.state.store.update('webhooks', current.id, patch);
      if (input.url) dispatcher.handshake(doc.id);
      return doc;
    },
    destroy: (ctx, current) => {
      ctx.state.store.remove('webhooks', current.id);
    },
  };
}

/** `PUT /webhooks/{id}/activate` with the X-Hook-Secret confirms a pending webhook. */
export function webhookActivateRouter(state: SandboxState): Router {
  const router = Router();
  router.put('/webhooks/:id/activate', (req, res) => {
    const ctx = apiContext(state, req, res);
    const hook = state.store.get('webhooks', Number(req.params.id));
    if (!hook) throw notFound('Webhook');
    if (req.header('x-hook-secret') !== hook.shared_secret)
      throw unprocessable('X-Hook-Secret does not match the webhook');
    const doc = state.store.transaction(() => state.store.update('webhooks', hook.id, { status: 'enabled' }));
    sendRecord(ctx, res, metaFor('webhooks'), doc);
  });
  return router;
}
