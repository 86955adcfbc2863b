import { randomBytes } from 'node:crypto';
import { type Knex } from 'knex';
import { toDate } from '../store/sql-values';
import { lockForTransaction } from '../store/transaction-lock';
import { type SecretBox } from '../crypto/secret-box';
import { type Requester } from '../domain/requester';
import { type WebhookEventType } from './events';

export interface Subscription {
  id: string;
  tenant: string;
  url: string;
  events: WebhookEventType[];
  createdAt: string;
  disabledAt: string | null;
  disabledReason: string | null;
  consecutiveFailures: number;
}

export interface DeliveryAttempt {
  deliveryId: string;
  eventId: string;
  eventType: string;
  attempt: number;
  outcome: 'delivered' | 'failed';
  responseStatus: number | null;
  error: string | null;
  at: string;
}

const SUBS = 'webhook_subscriptions';
const DELIVERIES = 'webhook_deliveries';

function iso(v: unknown): string | null {
  return v === null || v === undefined ? null : toDate(v).toISOString();
}

interface SubRow {
  id: string;
  tenant: string;
  url: string;
  events: string;
  secret_sealed: string;
  consecutive_failures: number;
  created_at: unknown;
  disabled_at: unknown;
  disabled_reason: string | null;
}

function toSubscription(row: SubRow): Subscription {
  return {
    id: row.id,
    tenant: row.tenant,
    url: row.url,
    events: JSON.parse(row.events) as WebhookEventType[],
    createdAt: iso(row.created_at)!,
    disabledAt: iso(row.disabled_at),
    disabledReason: row.disabled_reason,
    consecutiveFailures: Number(row.consecutive_failures),
  };
}

/** A tenant already holds as many subscriptions as it may. */
export class SubscriptionLimitReached extends Error {
  override readonly name = 'SubscriptionLimitReached';
  constructor(readonly limit: number) {
    super(`A tenant may hold at most ${limit} webhook subscriptions`);
  }
}

export interface WebhookRepositoryOptions {
  /**
   * Subscriptions (enabled or disabled, not deleted) a tenant may hold: every event is sent to each one that
   * wants it, so without a bound one tenant's subscriptions could multiply a single event into any number of
   * requests at a single target, and the workers' work with them.
   */
  maxPerTenant?: number;
}

/** Subscriptions and their delivery log. Secrets are sealed at rest and bound to their subscription id. */
export function createWebhookRepository(knex: Knex, box: SecretBox, opts: WebhookRepositoryOptions = {}) {
  const live = () => knex(SUBS).whereNull('deleted_at');
  return {
    /**
     * Throws SubscriptionLimitReached when the tenant holds `maxPerTenant` already. `alongside` runs in the same
     * transaction once the row is written (the audit record of the subscription): if it fails, nothing is kept.
     */
    async create(
      tenant: string,
      url: string,
      events: WebhookEventType[],
      alongside?: (trx: Knex.Transaction, subscription: Subscription) => Promise<unknown>,
    ): Promise<{ subscription: Subscription; secret: string }> {
      const id = `wh_${randomBytes(12).toString('hex')}`;
      const secret = `whsec_${randomBytes(24).toString('base64url')}`;
      const subscription = await knex.transaction(async (trx) => {
        // Count and insert one at a time per tenant: two creates counting side by side would both see room.
        await lockForTransaction(trx, `${SUBS}:${tenant}`);
        if (opts.maxPerTenant !== undefined) {
          const [{ n }] = (await trx(SUBS).where({ tenant }).whereNull('deleted_at').count({ n: '*' })) as [
            { n: number | string },
          ];
          if (Number(n) >= opts.maxPerTenant) throw new SubscriptionLimitReached(opts.maxPerTenant);
        }
        await trx(SUBS).insert({
          id,
          tenant,
          url,
          events: JSON.stringify(events),
          secret_sealed: box.seal(secret, id),
          consecutive_failures: 0,
          created_at: new Date(),
        });
        const created = toSubscription((await trx(SUBS).where({ id }).first()) as SubRow);
        await alongside?.(trx, created);
        return created;
      });
      return { subscription, secret };
    },
    async list(tenant: string): Promise<Subscription[]> {
      return ((await live().where({ tenant }).orderBy('created_at')) as SubRow[]).map(toSubscription);
    },
    async get(tenant: string, id: string): Promise<Subscription | undefined> {
      const row = (await live().where({ tenant, id }).first()) as SubRow | undefined;
      return row ? toSubscription(row) : undefined;
    },
    /**
     * When a tenant's subscription was deleted and by whom (absent for a deletion that named nobody: a creation
     * undone, or one from before deleters were kept); undefined while it is live, and for one it never had.
     */
    async deletion(tenant: string, id: string): Promise<{ at: string; by?: Requester } | undefined> {
      const row = (await knex(SUBS).where({ tenant, id }).whereNotNull('deleted_at').first()) as
        (SubRow & { deleted_at: unknown; deleted_by: string | null }) | undefined;
      if (!row) return undefined;
      const at = toDate(row.deleted_at).toISOString();
      return row.deleted_by ? { at, by: JSON.parse(row.deleted_by) as Requester } : { at };
    },
    /**
     * Soft delete: a delivery still retrying finds the subscription gone and stops (the secret no longer opens
     * for it). The row and its log go with the log's retention (`prune`).
     */
    async remove(tenant: string, id: string, by?: Requester): Promise<boolean> {
      const deletedBy = by ? JSON.stringify(by) : null;
      return (
        (await live().where({ tenant, id }).update({ deleted_at: new Date(), deleted_by: deletedBy })) > 0
      );
    },
    /** Deletes delivery attempts logged before `before`, and subscriptions deleted before it with their log. */
    async prune(before: Date): Promise<{ attempts: number; subscriptions: number }> {
      return knex.transaction(async (trx) => {
        const gone = trx(SUBS).select('id').whereNotNull('deleted_at').andWhere('deleted_at', '<', before);
        const attempts =
          (await trx(DELIVERIES).where('at', '<', before).delete()) +
          (await trx(DELIVERIES).whereIn('subscription_id', gone).delete());
        const subscriptions = await trx(SUBS)
          .whereNotNull('deleted_at')
          .andWhere('deleted_at', '<', before)
          .delete();
        return { attempts, subscriptions };
      });
    },
    async activeFor(tenant: string, type: WebhookEventType): Promise<Subscription[]> {
      const rows = (await live().where({ tenant }).whereNull('disabled_at')) as SubRow[];
      return rows.map(toSubscription).filter((s) => s.events.includes(type));
    },
    async secretOf(id: string): Promise<string | undefined> {
      const row = (await live().where({ id }).first()) as SubRow | undefined;
      return row ? box.open(row.secret_sealed, id) : undefined;
    },
    async logAttempt(subscriptionId: string, a: Omit<DeliveryAttempt, 'at'>): Promise<void> {
      await knex(DELIVERIES).insert({
        delivery_id: a.deliveryId,
        subscription_id: subscriptionId,
        event_id: a.eventId,
        event_type: a.eventType,
        attempt: a.attempt,
        outcome: a.outcome,
        response_status: a.responseStatus,
        error: a.error?.slice(0, 500) ?? null,
        at: new Date(),
      });
    },
    async deliveries(subscriptionId: string, limit = 100): Promise<DeliveryAttempt[]> {
      const rows = (await knex(DELIVERIES)
        .where({ subscription_id: subscriptionId })
        // Newest first, along the (subscription_id, at) index; id orders attempts logged in the same instant.
        .orderBy([
          { column: 'at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(limit)) as Record<string, unknown>[];
      return rows.map((r) => ({
        deliveryId: String(r.delivery_id),
        eventId: String(r.event_id),
        eventType: String(r.event_type),
        attempt: Number(r.attempt),
        outcome: r.outcome as DeliveryAttempt['outcome'],
        responseStatus: r.response_status === null ? null : Number(r.response_status),
        error: (r.error as string | null) ?? null,
        at: iso(r.at)!,
      }));
    },
    async markDelivered(id: string): Promise<void> {
      await knex(SUBS).where({ id }).update({ consecutive_failures: 0 });
    },
    /** Counts a delivery that failed for good; disables the subscription at the threshold. Returns whether it did. */
    async markFailed(id: string, disableAfter: number, reason: string): Promise<boolean> {
      return knex.transaction(async (trx) => {
        await trx(SUBS).where({ id }).increment('consecutive_failures', 1);
        const row = (await trx(SUBS).where({ id }).first()) as SubRow | undefined;
        if (row && Number(row.consecutive_failures) >= disableAfter && !row.disabled_at) {
          await trx(SUBS)
            .where({ id })
            .update({ disabled_at: new Date(), disabled_reason: reason.slice(0, 300) });
          return true;
        }
        return false;
      });
    },
    async disable(id: string, reason: string): Promise<void> {
      await knex(SUBS)
        .where({ id })
        .whereNull('disabled_at')
        .update({ disabled_at: new Date(), disabled_reason: reason.slice(0, 300) });
    },
  };
}

export type WebhookRepository = ReturnType<typeof createWebhookRepository>;
