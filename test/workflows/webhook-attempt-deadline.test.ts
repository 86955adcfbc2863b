import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { ApplicationFailure, msToNumber } from '@temporalio/common';
import { deliveryAttempt } from '../helpers/webhook-attempt';
import * as webhookActivities from '../../activities/webhooks';
import { createSecretBox } from '../../src/crypto/secret-box';
import { createDatabase, type Database } from '../../src/store/database';
import { createWebhookRepository, type WebhookRepository } from '../../src/webhooks/repository';
import { type ResolveHost } from '../../src/webhooks/url-policy';
import { webhookDeliveryOptions } from '../../workflows/shared/activity-options';

const { createWebhookActivities } = webhookActivities;
// `.test` is reserved (RFC 6761): only the resolver the test hands the activity answers for it.
const HOST = 'stalled.example.test';
const never = () => new Promise<string[]>(() => undefined);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A tenant's DNS that stops answering must not hold a delivery attempt past the activity's start-to-close
 * timeout: such an attempt would be neither logged nor counted towards disabling the subscription.
 */
describe('a webhook attempt has one deadline, lookups included', () => {
  let db: Database;
  let webhooks: WebhookRepository;
  let receiver: Server;
  let port: number;
  let requests = 0;

  beforeAll(async () => {
    db = await createDatabase('sqlite::memory:');
    webhooks = createWebhookRepository(db.knex, createSecretBox(randomBytes(32)));
    receiver = createServer((req, res) => {
      requests++;
      req.resume();
      res.end();
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    port = (receiver.address() as AddressInfo).port;
  });
  afterAll(async () => {
    receiver.closeAllConnections();
    await new Promise((r) => receiver.close(r));
    await db.close();
  });
  beforeEach(() => {
    requests = 0;
  });

  /** The last attempt (3 of 3) of a delivery whose subscription is disabled after one failed delivery. */
  async function lastAttempt(resolve: ResolveHost) {
    const { subscription } = await webhooks.create('firm-a', `http://${HOST}:${port}/hook`, [
      'workflow.completed',
    ]);
    const activities = createWebhookActivities({
      webhooks,
      urlPolicy: { allowLoopback: true, allowPrivate: false },
      maxAttempts: 3,
      disableAfterFailures: 1,
      resolve,
    });
    const started = Date.now();
    const running = deliveryAttempt(activities, subscription.id, { attempt: 3 });
    // Past the activity's 30 s start-to-close Temporal would have given up on the attempt; 20 s is enough here.
    const outcome = await Promise.race([running, sleep(20_000).then(() => ({ stillRunning: true }))]);
    const ms = Date.now() - started;
    const [logged] = await webhooks.deliveries(subscription.id);
    const sub = await webhooks.get('firm-a', subscription.id);
    return { outcome, ms, logged, sub };
  }

  test('the attempt deadline leaves the activity time to log and count the attempt before its start-to-close timeout', () => {
    const deadline = webhookActivities.WEBHOOK_ATTEMPT_DEADLINE_MS;
    expect(typeof deadline).toBe('number');
    const startToClose = msToNumber(webhookDeliveryOptions(3).startToCloseTimeout!);
    // The store reads before the attempt and the writes after it need their share of the activity's time.
    expect(deadline).toBeLessThanOrEqual(startToClose / 2);
  });

  test('a host whose lookup never answers at the URL check: the attempt ends within its deadline, is logged as failed and counts towards disabling', async () => {
    const { outcome, ms, logged, sub } = await lastAttempt(never);

    expect(outcome).not.toHaveProperty('stillRunning');
    expect(ms).toBeLessThan(12_000);
    const failure = 'err' in outcome ? (outcome.err as ApplicationFailure) : undefined;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure?.type).toBe('WebhookDeliveryFailed');
    expect(failure?.nonRetryable).toBe(false);
    expect(logged).toMatchObject({ outcome: 'failed', attempt: 3, responseStatus: null });
    expect(logged?.error).toMatch(/did not resolve in time/);
    expect(sub?.disabledAt).not.toBeNull();
    expect(requests).toBe(0);
  }, 30_000);

  test('a slow answer to the check and none to the connection: the deadline counts from the start of the attempt, not of the request', async () => {
    let lookups = 0;
    // The check gets its answer after 6 s; the connection's own lookup never gets one.
    const slowThenNever: ResolveHost = () =>
      ++lookups === 1 ? sleep(6_000).then(() => ['127.0.0.1']) : never();
    const { outcome, ms, logged, sub } = await lastAttempt(slowThenNever);

    expect(outcome).not.toHaveProperty('stillRunning');
    expect(lookups).toBe(2);
    expect(ms).toBeLessThan(12_000);
    expect('err' in outcome && (outcome.err as ApplicationFailure).type).toBe('WebhookDeliveryFailed');
    expect(logged).toMatchObject({ outcome: 'failed', attempt: 3, responseStatus: null });
    expect(logged?.error).toMatch(/receiver unreachable: no answer within 10 s/);
    expect(sub?.disabledAt).not.toBeNull();
    expect(requests).toBe(0);
  }, 30_000);
});
