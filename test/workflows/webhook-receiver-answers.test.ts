import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import type { ApplicationFailure } from '@temporalio/common';
import { deliveryAttempt } from '../helpers/webhook-attempt';
import { createWebhookActivities } from '../../activities/webhooks';
import { createSecretBox } from '../../src/crypto/secret-box';
import { createDatabase, type Database } from '../../src/store/database';
import { createWebhookRepository, type WebhookRepository } from '../../src/webhooks/repository';

/** What a receiver does with a delivery must not hold the attempt past its own time or lead it elsewhere. */
describe('webhook deliveries against receivers that misbehave', () => {
  let db: Database;
  let webhooks: WebhookRepository;
  let receiver: Server;
  let base: string;
  const paths: string[] = [];

  beforeAll(async () => {
    db = await createDatabase('sqlite::memory:');
    webhooks = createWebhookRepository(db.knex, createSecretBox(randomBytes(32)));
    receiver = createServer((req, res) => {
      paths.push(String(req.url));
      req.resume();
      if (req.url === '/redirect') {
        res.writeHead(307, { location: `${base}/inside` }).end();
      } else if (req.url === '/trickle') {
        // Headers at once, then a byte now and then, never the end.
        res.writeHead(200);
        const timer = setInterval(() => res.write('x'), 500);
        res.on('close', () => clearInterval(timer));
      } else if (req.url === '/huge') {
        res.writeHead(500);
        const chunk = Buffer.alloc(1 << 20, 120);
        let sent = 0;
        const more = (): void => {
          while (sent < 512 && res.write(chunk)) sent++;
          if (sent < 512) res.once('drain', more);
          else res.end();
        };
        more();
      }
      // '/silent': never answers.
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    receiver.closeAllConnections();
    await new Promise((r) => receiver.close(r));
    await db.close();
  });
  beforeEach(() => {
    paths.length = 0;
  });

  async function attemptAt(path: string) {
    const { subscription } = await webhooks.create('firm-a', `${base}${path}`, ['workflow.completed']);
    const activities = createWebhookActivities({
      webhooks,
      urlPolicy: { allowLoopback: true, allowPrivate: false },
      maxAttempts: 3,
      disableAfterFailures: 3,
    });
    const started = Date.now();
    const outcome = await deliveryAttempt(activities, subscription.id);
    const [logged] = await webhooks.deliveries(subscription.id);
    return { outcome, logged, ms: Date.now() - started };
  }

  test('a redirect is not followed, even to an address the policy allows: the attempt failed with its status', async () => {
    const { outcome, logged } = await attemptAt('/redirect');
    expect('err' in outcome && (outcome.err as ApplicationFailure).type).toBe('WebhookDeliveryFailed');
    expect(paths).toEqual(['/redirect']);
    expect(logged).toMatchObject({ outcome: 'failed', responseStatus: 307 });
  });

  test('a receiver that never answers ends the attempt within its 10 s, well inside the activity timeout', async () => {
    const { outcome, logged, ms } = await attemptAt('/silent');
    expect('err' in outcome && (outcome.err as ApplicationFailure).type).toBe('WebhookDeliveryFailed');
    expect(ms).toBeLessThan(15_000);
    expect(logged).toMatchObject({ outcome: 'failed', responseStatus: null });
  }, 30_000);

  test('a 2xx whose body never ends is delivered, and its body is not waited on past the 10 s', async () => {
    const { outcome, ms } = await attemptAt('/trickle');
    expect(outcome).toEqual({ value: { status: 200 } });
    expect(ms).toBeLessThan(15_000);
  }, 30_000);

  test('a huge answer body is not read to its end', async () => {
    const { outcome, logged, ms } = await attemptAt('/huge');
    expect('err' in outcome).toBe(true);
    expect(logged).toMatchObject({ outcome: 'failed', responseStatus: 500 });
    expect(ms).toBeLessThan(5_000);
  });
});
