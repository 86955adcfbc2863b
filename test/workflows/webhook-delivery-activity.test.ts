import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { request } from 'undici';
import { createWebhookActivities } from '../../activities/webhooks';
import { createSecretBox } from '../../src/crypto/secret-box';
import { webhookDispatcher } from '../../src/webhooks/guarded-dispatcher';
import { createWebhookRepository, type WebhookRepository } from '../../src/webhooks/repository';
import { verifyWebhook } from '../../src/webhooks/signature';
import {
  checkWebhookUrl,
  HostRefused,
  type ResolveHost,
  type UrlPolicy,
  UrlRefused,
} from '../../src/webhooks/url-policy';
import { deliveryAttempt } from '../helpers/webhook-attempt';
import { createDatabase, type Database } from '../../src/store/database';

// `.test` is reserved (RFC 6761): no real resolver answers it, so a delivery that reaches the receiver under
// this name went through the resolver the test gave the activity.
const HOST = 'hooks.example.test';
const PUBLIC = '93.184.215.14';

/** A resolver that answers `answers[i]` to its i-th lookup (the last one after that), and counts lookups. */
function pointedResolver(...answers: string[][]): ResolveHost & { lookups: number } {
  const resolve = (host: string) =>
    host === HOST
      ? Promise.resolve(answers[Math.min(resolve.lookups++, answers.length - 1)]!)
      : Promise.reject(new Error(`unexpected lookup of ${host}`));
  resolve.lookups = 0;
  return resolve;
}

describe('webhook deliveries dial only the addresses the policy allows', () => {
  let db: Database;
  let webhooks: WebhookRepository;
  let receiver: Server;
  let port: number;
  const received: IncomingMessage[] = [];
  const bodies: string[] = [];

  beforeAll(async () => {
    db = await createDatabase('sqlite::memory:');
    webhooks = createWebhookRepository(db.knex, createSecretBox(randomBytes(32)));
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(req);
        bodies.push(body);
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    port = (receiver.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((r) => receiver.close(r));
    await db.close();
  });
  beforeEach(() => {
    received.length = 0;
    bodies.length = 0;
  });

  const deliveryOf = async (policy: UrlPolicy, resolve: ResolveHost) => {
    const { subscription } = await webhooks.create('firm-a', `http://${HOST}:${port}/hook`, [
      'workflow.completed',
    ]);
    const activities = createWebhookActivities({
      webhooks,
      urlPolicy: policy,
      maxAttempts: 3,
      disableAfterFailures: 3,
      resolve,
    });
    const event = {
      id: `evt-${randomBytes(4).toString('hex')}`,
      type: 'workflow.completed' as const,
      tenant: 'firm-a',
      occurredAt: new Date().toISOString(),
      data: { workflowId: 'wf-1' },
    };
    /** One attempt of the activity, as Temporal would run it (attempts count from 1). */
    const attempt = (n: number) =>
      new MockActivityEnvironment({ attempt: n }).run((input) => activities.deliverWebhook(input), {
        subscriptionId: subscription.id,
        event,
        maxAttempts: 3,
      });
    return { subscription, attempt };
  };
  const deliver = async (policy: UrlPolicy, resolve: ResolveHost) => {
    const { subscription, attempt } = await deliveryOf(policy, resolve);
    return { subscription, outcome: attempt(1) };
  };

  test('a name that answers a public address to the check and loopback to the connection is refused there, and nothing is sent; the attempt reads as one whose name did not resolve', async () => {
    const resolve = pointedResolver([PUBLIC], ['127.0.0.1']);
    const { subscription, outcome } = await deliver({ allowLoopback: false, allowPrivate: false }, resolve);

    const failure = await outcome.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    // A failed attempt, retried like one whose name stopped resolving: telling the two apart (disabled at once,
    // "loopback" in the log) would let a tenant map the firm's internal DNS.
    expect((failure as ApplicationFailure).type).toBe('WebhookDeliveryFailed');
    expect((failure as ApplicationFailure).nonRetryable).toBe(false);
    expect(resolve.lookups).toBe(2); // the check, then the connection's own lookup
    expect(received).toHaveLength(0);
    const [attempt] = await webhooks.deliveries(subscription.id);
    expect(attempt?.error).toBe('receiver unreachable: must resolve to a public address');
    expect((await webhooks.get('firm-a', subscription.id))?.disabledAt).toBeNull();
  });

  test('an address written in the URL that the policy now refuses is refused at once: the subscription is disabled, nothing is sent', async () => {
    const { subscription } = await webhooks.create('firm-a', `http://10.0.0.7:${port}/hook`, [
      'workflow.completed',
    ]);
    const activities = createWebhookActivities({
      webhooks,
      urlPolicy: { allowLoopback: true, allowPrivate: false },
      maxAttempts: 3,
      disableAfterFailures: 3,
      resolve: pointedResolver([PUBLIC]),
    });
    const outcome = await deliveryAttempt(activities, subscription.id);
    const failure = 'err' in outcome ? (outcome.err as ApplicationFailure) : undefined;
    expect(failure?.type).toBe('WebhookTargetRefused');
    expect(failure?.nonRetryable).toBe(true);
    expect(received).toHaveLength(0);
    const [attempt] = await webhooks.deliveries(subscription.id);
    expect(attempt?.error).toMatch(/target refused: targets a private address/);
    expect((await webhooks.get('firm-a', subscription.id))?.disabledAt).not.toBeNull();
  });

  test('where the policy allows the address, the delivery connects through the same resolver and arrives signed', async () => {
    const resolve = pointedResolver(['127.0.0.1']);
    const { subscription, outcome } = await deliver({ allowLoopback: true, allowPrivate: false }, resolve);

    await expect(outcome).resolves.toEqual({ status: 200 });
    expect(received).toHaveLength(1);
    const headers = received[0]!.headers;
    const secret = (await webhooks.secretOf(subscription.id))!;
    const timestamp = String(headers['x-webhook-timestamp']);
    const signature = String(headers['x-webhook-signature']);
    expect(verifyWebhook(secret, timestamp, bodies[0]!, signature)).toBe(true);
    // Recomputed here from the README's scheme, independently of signWebhook, which verifyWebhook itself calls.
    expect(signature).toBe(
      `sha256=${createHmac('sha256', secret).update(`${timestamp}.${bodies[0]!}`).digest('hex')}`,
    );
    expect(verifyWebhook(secret, String(Number(timestamp) - 60), bodies[0]!, signature)).toBe(false);
    const [logged] = await webhooks.deliveries(subscription.id);
    expect(headers['x-webhook-id']).toBe(logged?.deliveryId);
    expect(headers.host).toBe(`${HOST}:${port}`);
  });

  test('one forbidden address among several is enough to refuse the connection', async () => {
    const dispatcher = webhookDispatcher(
      { allowLoopback: true, allowPrivate: false },
      pointedResolver(['127.0.0.1', '10.0.0.7']),
    );
    const failure = await request(`http://${HOST}:${port}/hook`, { dispatcher }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(HostRefused);
    expect((failure as HostRefused).message).toBe('must resolve to a public address');
    expect((failure as HostRefused).detail).toMatch(/resolves to 10\.0\.0\.7: targets a private address/);
    expect(received).toHaveLength(0);
  });

  test('a name that fails to resolve for a moment is a failed attempt, retried: the subscription stays enabled and the next attempt arrives', async () => {
    let lookups = 0;
    const flaky: ResolveHost = (host) =>
      ++lookups === 1
        ? Promise.reject(Object.assign(new Error(`getaddrinfo EAI_AGAIN ${host}`), { code: 'EAI_AGAIN' }))
        : Promise.resolve(['127.0.0.1']);
    const { subscription, attempt } = await deliveryOf({ allowLoopback: true, allowPrivate: false }, flaky);

    const failure = await attempt(1).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).type).toBe('WebhookDeliveryFailed');
    expect((failure as ApplicationFailure).nonRetryable).toBe(false);
    expect((await webhooks.get('firm-a', subscription.id))?.disabledAt).toBeNull();
    const [logged] = await webhooks.deliveries(subscription.id);
    expect(logged).toMatchObject({ outcome: 'failed', attempt: 1 });
    expect(logged?.error).toBe('receiver unreachable: must resolve to a public address');

    await expect(attempt(2)).resolves.toEqual({ status: 200 });
    expect(received).toHaveLength(1);
  });

  test.each(['http://0.0.0.0:1/hook', 'http://[::]:1/hook', 'http://0:1/hook'])(
    '%s reaches this host itself: refused like loopback, even where private targets are allowed',
    async (url) => {
      const policy = { allowLoopback: false, allowPrivate: true };
      await expect(checkWebhookUrl(url, policy)).rejects.toThrow(/unspecified address/);
      await expect(checkWebhookUrl(url, { ...policy, allowLoopback: true })).resolves.toBeInstanceOf(URL);
    },
  );

  test('a name that resolves to 0.0.0.0 at connection time is refused there too', async () => {
    const dispatcher = webhookDispatcher(
      { allowLoopback: false, allowPrivate: true },
      pointedResolver(['0.0.0.0']),
    );
    const failure = await request(`http://${HOST}:${port}/hook`, { dispatcher }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(UrlRefused);
    expect(received).toHaveLength(0);
  });
});
