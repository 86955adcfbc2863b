import { createHmac } from 'node:crypto';
import { parseVersion, DEFAULT_API_VERSION } from '../http/api-version';
import { parseFields } from '../http/fields-param';
import { renderContext, renderRecord } from '../http/render';
import type { Doc } from '../state/record-store';
import type { ChangeEvent, SandboxState } from '../state/sandbox-state';
import { metaFor } from './resource-meta';
import { COLLECTION_MODELS, MODEL_COLLECTIONS } from './webhook-models';

const MAX_ATTEMPTS = 5;
const DELIVERY_TIMEOUT_MS = 10_000;

/** Lowercase-hex HMAC-SHA256 of the raw body with the shared secret (what Clio sends). */
export const hookSignature = (secret: string, body: string): string =>
  createHmac('sha256', secret).update(body).digest('hex');

/**
 * Sends webhook handshakes and deliveries. Deliveries retry with exponential backoff; 2xx, 3xx and
 * 410 count as delivered, and 410 (or exhausting the retries) suspends the webhook.
 */
export class WebhookDispatcher {
  private readonly timers = new Set<NodeJS.Timeout>();
  private generation = 0;
  private readonly aborter = { current: new AbortController() };
  /** (webhook, record) pairs that have had their first update, which fires unconditionally. */
  private readonly seenUpdates = new Set<string>();

  constructor(
    private readonly state: SandboxState,
    private readonly retryBaseMs = 1000,
  ) {
    state.onChange((collection, event, doc, previous) => this.onChange(collection, event, doc, previous));
    state.onReset(() => this.stop());
  }

  handshake(webhookId: number): void {
    this.later(0, this.generation, async () => {
      const hook = this.state.store.get('webhooks', webhookId);
      if (!hook || hook.status !== 'pending') return;
      const body = JSON.stringify({
        data: { id: hook.id },
        meta: { event: 'handshake', webhook_id: hook.id },
      });
      const res = await this.post(String(hook.url), body, { 'X-Hook-Secret': String(hook.shared_secret) });
      // Echoing the secret confirms at once; otherwise the receiver calls PUT /webhooks/{id}/activate.
      if (res?.ok && res.headers.get('x-hook-secret') === hook.shared_secret)
        this.setStatus(hook.id, 'enabled');
    });
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.aborter.current.abort();
    this.aborter.current = new AbortController();
    this.seenUpdates.clear();
    this.generation++;
  }

  private onChange(collection: string, event: ChangeEvent, doc: Doc, previous?: Doc): void {
    const model = COLLECTION_MODELS[collection];
    if (!model) return;
    const events: string[] = [event];
    if (collection === 'matters' && previous && previous.status !== doc.status)
      events.push(
        { Open: 'matter_opened', Pending: 'matter_pended', Closed: 'matter_closed' }[String(doc.status)] ??
          '',
      );
    const now = new Date().toISOString();
    const hooks = this.state.store.list('webhooks', {
      where: [
        { path: '$.model', op: '=', value: model },
        { path: '$.status', op: '=', value: 'enabled' },
      ],
    });
    for (const hook of hooks) {
      if (String(hook.expires_at) <= now) continue;
      const meta = metaFor(MODEL_COLLECTIONS[model] as string);
      const fields = parseFields(hook.fields, meta.schema);
      const ctx = renderContext(this.state.store, parseVersion(DEFAULT_API_VERSION));
      const data = renderRecord(ctx, meta, doc, fields);
      for (const name of events.filter((e) => (hook.events as string[]).includes(e))) {
        if (name === 'updated' && previous) {
          const key = `${hook.id}:${doc.id}`;
          const strip = (r: Record<string, unknown>): string =>
            JSON.stringify({ ...r, etag: undefined, updated_at: undefined });
          const changed = strip(renderRecord(ctx, meta, previous, fields)) !== strip(data);
          if (this.seenUpdates.has(key) && !changed) continue;
          this.seenUpdates.add(key);
        }
        this.deliver(hook.id, JSON.stringify({ data, meta: { event: name, webhook_id: hook.id } }), 1);
      }
    }
  }

  private deliver(webhookId: number, body: string, attempt: number, generation = this.generation): void {
    this.later(attempt === 1 ? 0 : this.retryBaseMs * 2 ** (attempt - 2), generation, async () => {
      const hook = this.state.store.get('webhooks', webhookId);
      if (!hook || hook.status !== 'enabled') return;
      const res = await this.post(String(hook.url), body, {
        'X-Hook-Signature': hookSignature(String(hook.shared_secret), body),
      });
      if (res?.status === 410) return this.setStatus(webhookId, 'suspended');
      if (res && res.status < 400) return;
      if (attempt >= MAX_ATTEMPTS) return this.setStatus(webhookId, 'suspended');
      this.deliver(webhookId, body, attempt + 1, generation);
    });
  }

  private async post(
    url: string,
    body: string,
    headers: Record<string, string>,
  ): Promise<Response | undefined> {
    try {
      const signal = AbortSignal.any([this.aborter.current.signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]);
      const res = await fetch(url, {
        method: 'POST',
        body,
        headers: { 'Content-Type': 'application/json', ...headers },
        redirect: 'manual',
        signal,
      });
      await res.arrayBuffer().catch(() => undefined);
      return res;
    } catch {
      return undefined;
    }
  }

  private setStatus(id: number, status: string): void {
    if (!this.state.db.open || !this.state.store.get('webhooks', id)) return;
    this.state.store.transaction(() => this.state.store.update('webhooks', id, { status }));
  }

  /**
   * Schedules work of one generation: stop() (close or reset) starts a new generation, so a retry
   * computed by an older delivery that was in flight is dropped instead of outliving the sandbox.
   */
  private later(ms: number, generation: number, fn: () => Promise<void>): void {
    if (generation !== this.generation) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (generation !== this.generation) return;
      fn().catch((err: unknown) => this.state.logger.warn({ err }, 'clio sandbox: webhook task failed'));
    }, ms);
    // Never what keeps a process (or a test run) alive.
    t.unref();
    this.timers.add(t);
  }
}
