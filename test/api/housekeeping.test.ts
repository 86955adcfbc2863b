import { randomBytes } from 'node:crypto';
import { createSecretBox } from '../../src/crypto/secret-box';
import { startHousekeeping } from '../../src/api/housekeeping';
import { createDatabase, type Database } from '../../src/store/database';
import { createIdempotencyRepository } from '../../src/store/idempotency-repository';
import { createOperationsLedger } from '../../src/store/operations-ledger';
import { createWebhookRepository } from '../../src/webhooks/repository';
import { createOAuthStateLedger } from '../../src/integrations/clio/oauth/state-ledger';
import { silent } from '../integrations/helpers';

const DAY = 86_400_000;

describe('housekeeping: the API keeps its own tables bounded', () => {
  let db: Database;
  beforeEach(async () => {
    db = await createDatabase('sqlite::memory:');
  });
  afterEach(async () => {
    await db.close();
  });

  test('a sweep removes expired Idempotency-Key answers, delivery attempts past retention, long-deleted subscriptions, old ledger entries and expired used OAuth states, and nothing else', async () => {
    const box = createSecretBox(randomBytes(32));
    const idempotency = createIdempotencyRepository(db.knex, box);
    const webhooks = createWebhookRepository(db.knex, box);
    const base = { tenant: 't1', requestHash: 'a'.repeat(64), statusCode: 202, responseBody: {} };
    await idempotency.insertIfAbsent({ ...base, key: 'short', ttlMs: 1 });
    await idempotency.insertIfAbsent({ ...base, key: 'long', ttlMs: DAY });

    const { subscription: kept } = await webhooks.create('t1', 'http://127.0.0.1:9/a', [
      'workflow.completed',
    ]);
    const { subscription: removed } = await webhooks.create('t1', 'http://127.0.0.1:9/b', [
      'workflow.completed',
    ]);
    const attempt = (eventId: string) => ({
      deliveryId: eventId,
      eventId,
      eventType: 'workflow.completed',
      attempt: 1,
      outcome: 'delivered' as const,
      responseStatus: 200,
      error: null,
    });
    await webhooks.logAttempt(kept.id, attempt('old'));
    await webhooks.logAttempt(kept.id, attempt('recent'));
    await webhooks.logAttempt(removed.id, attempt('of-removed'));
    const longAgo = new Date(Date.now() - 40 * DAY);
    await db.knex('webhook_deliveries').where({ event_id: 'old' }).update({ at: longAgo });
    await webhooks.remove('t1', removed.id);
    await db.knex('webhook_subscriptions').where({ id: removed.id }).update({ deleted_at: longAgo });

    const operations = createOperationsLedger(db.knex);
    const write = { tenant: 't1', kind: 'clio.time_entry.create', outcome: 'succeeded', externalId: '1' };
    await operations.record('wf-old/create-time-entry/0', write);
    await operations.record('wf-recent/create-time-entry/0', { ...write, externalId: '2' });
    await db.knex('operations').where({ key: 'wf-old/create-time-entry/0' }).update({ updated_at: longAgo });

    const oauthStates = createOAuthStateLedger(db.knex);
    await oauthStates.consume('expired-state', Date.now() - 1);
    await oauthStates.consume('live-state', Date.now() + 600_000);

    await new Promise((r) => setTimeout(r, 5)); // past the short key's time
    const housekeeping = startHousekeeping({
      idempotency,
      webhooks,
      deliveryLogMs: 30 * DAY,
      operations,
      operationsMs: 30 * DAY,
      oauthStates,
      logger: silent,
      everyMs: 60 * 60_000,
    });
    await housekeeping.sweep();
    await housekeeping.stop();

    expect((await db.knex('idempotency_keys').pluck('key')) as string[]).toEqual(['long']);
    expect((await webhooks.deliveries(kept.id)).map((d) => d.eventId)).toEqual(['recent']);
    expect(await db.knex('webhook_deliveries').where({ subscription_id: removed.id })).toHaveLength(0);
    expect(await db.knex('webhook_subscriptions').pluck('id')).toEqual([kept.id]);
    expect(await db.knex('operations').pluck('key')).toEqual(['wf-recent/create-time-entry/0']);
    expect(await db.knex('oauth_states_used').pluck('nonce')).toEqual(['live-state']);
    // A used state stays used until it expires.
    expect(await oauthStates.consume('live-state', Date.now() + 600_000)).toBe(false);
  });
});
