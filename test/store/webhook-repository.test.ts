import { createAuditStore } from '../../src/audit';
import { randomBytes } from 'node:crypto';
import { webhooksRouter } from '../../src/api/routes/webhooks';
import { createSecretBox } from '../../src/crypto/secret-box';
import { createDatabase, type Database } from '../../src/store/database';
import {
  createWebhookRepository,
  SubscriptionLimitReached,
  type WebhookRepository,
} from '../../src/webhooks/repository';
import { testDialects } from './dialects';
import { routerApp, serveLocally } from '../helpers/router-app';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

const attempt = (n: number, outcome: 'delivered' | 'failed' = 'failed') => ({
  deliveryId: 'd'.repeat(32),
  eventId: `wf-1:run-1:workflow.completed`,
  eventType: 'workflow.completed',
  attempt: n,
  outcome,
  responseStatus: outcome === 'delivered' ? 204 : null,
  error: outcome === 'delivered' ? null : `receiver unreachable: attempt ${n}`,
});

describe.each(testDialects())('webhook repository on $name', (dialect) => {
  let db: Database;
  let hooks: WebhookRepository;
  const box = createSecretBox(randomBytes(32));
  beforeAll(async () => {
    db = await createDatabase(await dialect.setup());
    hooks = createWebhookRepository(db.knex, box);
  });
  afterAll(async () => {
    await db?.close();
    await dialect.teardown();
  });

  test('when a subscription is created, then it reads back as created, with its events, counters and times', async () => {
    const before = Date.now();
    const { subscription, secret } = await hooks.create('acme', 'https://example.com/hook?a=1&b=%20', [
      'workflow.completed',
      'session.mfa_required',
    ]);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    expect(subscription).toEqual({
      id: expect.stringMatching(/^wh_[0-9a-f]{24}$/) as string,
      tenant: 'acme',
      url: 'https://example.com/hook?a=1&b=%20',
      events: ['workflow.completed', 'session.mfa_required'],
      createdAt: expect.stringMatching(ISO) as string,
      disabledAt: null,
      disabledReason: null,
      consecutiveFailures: 0,
    });
    expect(Date.parse(subscription.createdAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(subscription.createdAt)).toBeLessThanOrEqual(Date.now());
    expect(await hooks.get('acme', subscription.id)).toEqual(subscription);
    expect(await hooks.get('other', subscription.id)).toBeUndefined();
    expect(await hooks.secretOf(subscription.id)).toBe(secret);
    expect(await hooks.secretOf('wh_missing')).toBeUndefined();
  });

  test('when a URL is as long as the API accepts, then it is stored whole', async () => {
    const url = `https://example.com/${'p'.repeat(2048 - 'https://example.com/'.length)}`;
    expect(url).toHaveLength(2048);
    const { subscription } = await hooks.create('acme', url, ['workflow.failed']);
    expect((await hooks.get('acme', subscription.id))?.url).toBe(url);
  });

  test('when a secret is at rest, then the row does not hold it and a sealed secret moved to another subscription does not open', async () => {
    const a = await hooks.create('acme', 'https://a.example.com/', ['workflow.completed']);
    const b = await hooks.create('acme', 'https://b.example.com/', ['workflow.completed']);
    expect(JSON.stringify(await db.knex('webhook_subscriptions').select())).not.toContain(a.secret);
    const sealed = (
      (await db.knex('webhook_subscriptions').where({ id: a.subscription.id }).first()) as {
        secret_sealed: string;
      }
    ).secret_sealed;
    await db.knex('webhook_subscriptions').where({ id: b.subscription.id }).update({ secret_sealed: sealed });
    await expect(hooks.secretOf(b.subscription.id)).rejects.toThrow();
    expect(await hooks.secretOf(a.subscription.id)).toBe(a.secret);
  });

  test('when a tenant has several subscriptions, then it lists its own, oldest first', async () => {
    const ids: string[] = [];
    for (const url of ['https://1.example.com/', 'https://2.example.com/', 'https://3.example.com/']) {
      ids.push((await hooks.create('lister', url, ['billing_run.completed'])).subscription.id);
      // Creation times apart: the order is the creation time's.
      await pause(3);
    }
    await hooks.create('lister-other', 'https://x.example.com/', ['billing_run.completed']);
    const listed = await hooks.list('lister');
    expect(listed.map((s) => s.id)).toEqual(ids);
    expect(listed.map((s) => s.url)).toEqual([
      'https://1.example.com/',
      'https://2.example.com/',
      'https://3.example.com/',
    ]);
    expect(listed.every((s) => Array.isArray(s.events) && s.consecutiveFailures === 0)).toBe(true);
    expect(await hooks.list('nobody')).toEqual([]);
  });

  test('when subscriptions differ in events and state, then only the enabled ones that want the event are active for it', async () => {
    const both = await hooks.create('active', 'https://both.example.com/', [
      'workflow.completed',
      'workflow.failed',
    ]);
    const failedOnly = await hooks.create('active', 'https://failed.example.com/', ['workflow.failed']);
    const disabled = await hooks.create('active', 'https://off.example.com/', ['workflow.completed']);
    const removed = await hooks.create('active', 'https://gone.example.com/', ['workflow.completed']);
    await hooks.create('active-other', 'https://other.example.com/', ['workflow.completed']);
    await hooks.disable(disabled.subscription.id, 'receiver answered 410 Gone');
    await hooks.remove('active', removed.subscription.id);

    const ids = async (type: Parameters<WebhookRepository['activeFor']>[1]) =>
      (await hooks.activeFor('active', type)).map((s) => s.id).sort();
    expect(await ids('workflow.completed')).toEqual([both.subscription.id]);
    expect(await ids('workflow.failed')).toEqual([both.subscription.id, failedOnly.subscription.id].sort());
    expect(await ids('trust_transfer.completed')).toEqual([]);
  });

  test('when a subscription is disabled, then it says when and why, and a later disable keeps the first reason', async () => {
    const { subscription } = await hooks.create('acme', 'https://disable.example.com/', ['workflow.failed']);
    await hooks.disable(subscription.id, 'receiver answered 410 Gone');
    const first = (await hooks.get('acme', subscription.id))!;
    expect(first.disabledAt).toMatch(ISO);
    expect(first.disabledReason).toBe('receiver answered 410 Gone');
    await pause(2);
    await hooks.disable(subscription.id, 'r'.repeat(1000));
    expect(await hooks.get('acme', subscription.id)).toEqual(first);

    const { subscription: long } = await hooks.create('acme', 'https://long.example.com/', [
      'workflow.failed',
    ]);
    await hooks.disable(long.id, `target refused: ${'x'.repeat(1000)}`);
    expect((await hooks.get('acme', long.id))?.disabledReason).toHaveLength(300);
  });

  test('when a subscription is removed, then it is gone for its tenant only, its secret no longer opens, and removing again says so', async () => {
    const { subscription } = await hooks.create('acme', 'https://remove.example.com/', ['workflow.failed']);
    expect(await hooks.remove('other', subscription.id)).toBe(false);
    expect(await hooks.get('acme', subscription.id)).toBeDefined();
    expect(await hooks.remove('acme', subscription.id)).toBe(true);
    expect(await hooks.get('acme', subscription.id)).toBeUndefined();
    expect((await hooks.list('acme')).map((s) => s.id)).not.toContain(subscription.id);
    expect(await hooks.secretOf(subscription.id)).toBeUndefined();
    expect(await hooks.remove('acme', subscription.id)).toBe(false);
  });

  test('when attempts are logged, then deliveries come newest first with their numbers, statuses and times, up to the limit', async () => {
    const { subscription } = await hooks.create('acme', 'https://log.example.com/', ['workflow.completed']);
    const { subscription: other } = await hooks.create('acme', 'https://log2.example.com/', [
      'workflow.completed',
    ]);
    const before = Date.now();
    // Logged back to back, several may share a timestamp: they must still come back in the order logged.
    for (const n of [1, 2, 3]) await hooks.logAttempt(subscription.id, attempt(n));
    await hooks.logAttempt(subscription.id, { ...attempt(4), responseStatus: 503, error: 'e'.repeat(900) });
    await hooks.logAttempt(subscription.id, attempt(5, 'delivered'));
    await hooks.logAttempt(other.id, attempt(1));

    const log = await hooks.deliveries(subscription.id);
    expect(log.map((a) => a.attempt)).toEqual([5, 4, 3, 2, 1]);
    expect(log[0]).toEqual({
      deliveryId: 'd'.repeat(32),
      eventId: 'wf-1:run-1:workflow.completed',
      eventType: 'workflow.completed',
      attempt: 5,
      outcome: 'delivered',
      responseStatus: 204,
      error: null,
      at: expect.stringMatching(ISO) as string,
    });
    expect(log[1]).toMatchObject({ outcome: 'failed', responseStatus: 503, error: 'e'.repeat(500) });
    expect(log[4]).toMatchObject({ responseStatus: null, error: 'receiver unreachable: attempt 1' });
    for (const a of log) {
      expect(Date.parse(a.at)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(a.at)).toBeLessThanOrEqual(Date.now());
    }
    const times = log.map((a) => Date.parse(a.at));
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    expect((await hooks.deliveries(subscription.id, 2)).map((a) => a.attempt)).toEqual([5, 4]);
    expect((await hooks.deliveries(other.id)).map((a) => a.attempt)).toEqual([1]);
    expect(await hooks.deliveries('wh_missing')).toEqual([]);
  });

  test('when deliveries fail for good, then failures are counted, the threshold disables once, and a delivery resets the count', async () => {
    const { subscription } = await hooks.create('acme', 'https://flaky.example.com/', ['workflow.completed']);
    expect(await hooks.markFailed(subscription.id, 3, 'r1')).toBe(false);
    expect(await hooks.markFailed(subscription.id, 3, 'r2')).toBe(false);
    expect((await hooks.get('acme', subscription.id))?.consecutiveFailures).toBe(2);
    await hooks.markDelivered(subscription.id);
    expect((await hooks.get('acme', subscription.id))?.consecutiveFailures).toBe(0);

    expect(await hooks.markFailed(subscription.id, 3, 'r1')).toBe(false);
    expect(await hooks.markFailed(subscription.id, 3, 'r2')).toBe(false);
    expect(await hooks.markFailed(subscription.id, 3, `3 deliveries failed; last: ${'z'.repeat(400)}`)).toBe(
      true,
    );
    const disabled = (await hooks.get('acme', subscription.id))!;
    expect(disabled).toMatchObject({
      consecutiveFailures: 3,
      disabledAt: expect.stringMatching(ISO) as string,
    });
    expect(disabled.disabledReason).toHaveLength(300);
    expect(disabled.disabledReason).toMatch(/^3 deliveries failed; last: z+$/);
    // Past the threshold it is already disabled: not disabled again, the first time and reason stay.
    expect(await hooks.markFailed(subscription.id, 3, 'later')).toBe(false);
    expect(await hooks.get('acme', subscription.id)).toEqual({ ...disabled, consecutiveFailures: 4 });
    expect(await hooks.activeFor('acme', 'workflow.completed')).not.toContainEqual(
      expect.objectContaining({ id: subscription.id }),
    );
  });

  test('when several deliveries fail for good at once, then every failure is counted and exactly one disables', async () => {
    const { subscription } = await hooks.create('acme', 'https://storm.example.com/', ['workflow.completed']);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => hooks.markFailed(subscription.id, 5, `failure ${i}`)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const after = (await hooks.get('acme', subscription.id))!;
    expect(after.consecutiveFailures).toBe(10);
    expect(after.disabledReason).toMatch(/^failure \d$/);
  });

  test('when the log is pruned, then attempts before the cutoff go, subscriptions deleted before it go with their log, and the counts say so', async () => {
    await hooks.prune(new Date(Date.now() + 1)); // only this test's rows below
    const kept = (await hooks.create('prune', 'https://kept.example.com/', ['workflow.completed']))
      .subscription;
    const deletedEarly = (await hooks.create('prune', 'https://early.example.com/', ['workflow.completed']))
      .subscription;
    const deletedLate = (await hooks.create('prune', 'https://late.example.com/', ['workflow.completed']))
      .subscription;
    await hooks.logAttempt(kept.id, attempt(1));
    await hooks.logAttempt(deletedEarly.id, attempt(1));
    await hooks.remove('prune', deletedEarly.id);
    await pause(5);
    const cutoff = new Date();
    await pause(5);
    await hooks.logAttempt(kept.id, attempt(2));
    // Logged after the cutoff, but its subscription was deleted before it: goes with the subscription.
    await hooks.logAttempt(deletedEarly.id, attempt(2));
    await hooks.logAttempt(deletedLate.id, attempt(1));
    await hooks.remove('prune', deletedLate.id);

    expect(await hooks.prune(cutoff)).toEqual({ attempts: 3, subscriptions: 1 });
    expect((await hooks.deliveries(kept.id)).map((a) => a.attempt)).toEqual([2]);
    expect(await hooks.deliveries(deletedEarly.id)).toEqual([]);
    expect((await hooks.deliveries(deletedLate.id)).map((a) => a.attempt)).toEqual([1]);
    expect(await hooks.get('prune', kept.id)).toBeDefined();
    expect(await hooks.prune(cutoff)).toEqual({ attempts: 0, subscriptions: 0 });
    // The one deleted after the cutoff goes with a later one, its log with it.
    expect(await hooks.prune(new Date(Date.now() + 1))).toEqual({ attempts: 2, subscriptions: 1 });
    expect(await hooks.deliveries(deletedLate.id)).toEqual([]);
  });

  test('when several API processes sweep the log at once, then none fails and each row is counted once', async () => {
    await hooks.prune(new Date(Date.now() + 1));
    const subs = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        hooks.create('sweep', `https://s${i}.example.com/`, ['workflow.completed']),
      ),
    );
    for (const { subscription } of subs)
      for (let n = 1; n <= 20; n++) await hooks.logAttempt(subscription.id, attempt(n));
    for (const { subscription } of subs.slice(0, 3)) await hooks.remove('sweep', subscription.id);
    await pause(2);
    const results = await Promise.all(Array.from({ length: 4 }, () => hooks.prune(new Date())));
    expect(results.reduce((sum, r) => sum + r.attempts, 0)).toBe(120);
    expect(results.reduce((sum, r) => sum + r.subscriptions, 0)).toBe(3);
    expect((await hooks.list('sweep')).map((s) => s.id).sort()).toEqual(
      subs
        .slice(3)
        .map((s) => s.subscription.id)
        .sort(),
    );
  });

  test('when a tenant holds as many subscriptions as allowed, then one more is refused until one is deleted, and other tenants are unaffected', async () => {
    const capped = createWebhookRepository(db.knex, box, { maxPerTenant: 2 });
    const first = await capped.create('cap-seq', 'https://example.com/1', ['workflow.completed']);
    await capped.create('cap-seq', 'https://example.com/2', ['workflow.completed']);
    await expect(capped.create('cap-seq', 'https://example.com/3', ['workflow.completed'])).rejects.toThrow(
      SubscriptionLimitReached,
    );
    expect(await capped.list('cap-seq')).toHaveLength(2);
    // Disabled ones count (they can be deleted to make room); deleted ones do not.
    await capped.disable(first.subscription.id, 'receiver gone');
    await expect(capped.create('cap-seq', 'https://example.com/3', ['workflow.completed'])).rejects.toThrow(
      SubscriptionLimitReached,
    );
    await capped.remove('cap-seq', first.subscription.id);
    await capped.create('cap-seq', 'https://example.com/3', ['workflow.completed']);
    await capped.create('cap-other', 'https://example.com/1', ['workflow.completed']);
    expect((await capped.list('cap-seq')).map((s) => s.url)).toEqual([
      'https://example.com/2',
      'https://example.com/3',
    ]);
  });

  test('when the API is asked for one subscription more than allowed, then it answers 409 webhook_limit_reached with the limit', async () => {
    const capped = createWebhookRepository(db.knex, box, { maxPerTenant: 1 });
    const server = await serveLocally(
      routerApp(
        webhooksRouter({
          webhooks: capped,
          audit: createAuditStore(db),
          urlPolicy: { allowPrivate: false, allowLoopback: false },
        }),
        () => ({ tenant: 'cap-api', role: 'admin', apiKeyId: 'k', name: 'test' }),
      ),
    );
    const post = () =>
      fetch(`${server.url}/v1/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: 'https://93.184.216.34/hook', events: ['workflow.completed'] }),
      });
    try {
      expect((await post()).status).toBe(201);
      const res = await post();
      expect({ status: res.status, body: await res.json() }).toEqual({
        status: 409,
        body: {
          error: {
            code: 'webhook_limit_reached',
            message: expect.stringContaining('WEBHOOK_MAX_SUBSCRIPTIONS') as string,
            details: { limit: 1 },
          },
        },
      });
      expect(await capped.list('cap-api')).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  test('when many subscriptions are created at once, then exactly as many as allowed are kept', async () => {
    const capped = createWebhookRepository(db.knex, box, { maxPerTenant: 3 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        capped.create('cap-race', `https://example.com/${i}`, ['workflow.completed']),
      ),
    );
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(refused.every((o) => o.reason instanceof SubscriptionLimitReached)).toBe(true);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    expect(await capped.list('cap-race')).toHaveLength(3);
  });

  test('when a URL the API accepts (at most 2048 characters) grows past the column once percent-encoded, then it is a 400 naming body.url on either database, and nothing is stored', async () => {
    const server = await serveLocally(
      routerApp(
        webhooksRouter({
          webhooks: hooks,
          audit: createAuditStore(db),
          urlPolicy: { allowPrivate: false, allowLoopback: false },
        }),
        () => ({ tenant: 'api', role: 'admin', apiKeyId: 'k', name: 'test' }),
      ),
    );
    const post = (url: string) =>
      fetch(`${server.url}/v1/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url, events: ['workflow.completed'] }),
      });
    try {
      // An address literal: no name to resolve. Each é is one character sent, six (%C3%A9) once parsed.
      const grows = `https://93.184.216.34/${'é'.repeat(2000)}`;
      expect(grows.length).toBeLessThanOrEqual(2048);
      const res = await post(grows);
      const body = (await res.json()) as { error?: { details?: { fields: { field: string }[] } } };
      expect({ status: res.status, fields: body.error?.details?.fields.map((f) => f.field) }).toEqual({
        status: 400,
        fields: ['body.url'],
      });
      expect(await hooks.list('api')).toEqual([]);

      // Right at the limit once encoded, it is accepted and stored as parsed.
      const fits = `https://93.184.216.34/${'é'.repeat(100)}${'p'.repeat(2048 - 22 - 600)}`;
      expect(new URL(fits).href).toHaveLength(2048);
      const ok = await post(fits);
      expect(ok.status).toBe(201);
      expect((await hooks.list('api')).map((s) => s.url)).toEqual([new URL(fits).href]);
    } finally {
      await server.close();
    }
  });
});
