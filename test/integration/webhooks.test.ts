import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { verifyWebhook } from '../../src/webhooks/signature';
import { startSystem, waitForWorkflow, type System } from '../helpers/system';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A webhook receiver on loopback that answers with the status the test chooses. */
async function receiver(
  status: () => number,
): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    // The bytes as they came: the signature covers the raw body, and a receiver must check it before parsing.
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = status();
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

async function until<T>(
  fn: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
  what = 'a condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('webhooks: subscriptions, signed deliveries, retries, disabling', () => {
  let sys: System;
  let matterId: string;
  beforeAll(async () => {
    sys = await startSystem({ WEBHOOK_MAX_ATTEMPTS: '2', WEBHOOK_DISABLE_AFTER_FAILURES: '1' });
    const dump = (await (await fetch(`${sys.clioUrl}/_sandbox/dump`)).json()) as {
      matters: { id: number }[];
    };
    matterId = String(dump.matters[0]!.id);
  });
  afterAll(async () => {
    await sys?.stop();
  });

  const admin = { authorization: 'Bearer sandbox-admin', 'content-type': 'application/json' };
  const subscribe = (body: unknown) =>
    fetch(`${sys.api.url}/v1/webhooks`, { method: 'POST', headers: admin, body: JSON.stringify(body) });
  const capture = (description: string) =>
    fetch(`${sys.api.url}/v1/time-entries`, {
      method: 'POST',
      headers: { authorization: 'Bearer sandbox-attorney', 'content-type': 'application/json' },
      body: JSON.stringify({
        entries: [{ matterId, date: '2026-11-10', durationSeconds: 600, description }],
      }),
    });

  test('when a run completes, then each subscriber receives one signed workflow.completed it can verify', async () => {
    const hook = await receiver(() => 204);
    const otherHook = await receiver(() => 204);
    try {
      const res = await subscribe({ url: hook.url, events: ['workflow.completed'] });
      expect(res.status).toBe(201);
      const sub = (await res.json()) as { id: string; secret: string; url: string };
      expect(sub.secret).toMatch(/^whsec_/);
      // A second subscriber, so that signing every delivery with one subscription's secret would show.
      const other = (await (
        await subscribe({ url: otherHook.url, events: ['workflow.completed'] })
      ).json()) as {
        id: string;
        secret: string;
      };
      expect(other.secret).not.toBe(sub.secret);
      const listed = (await (await fetch(`${sys.api.url}/v1/webhooks`, { headers: admin })).json()) as {
        data: Record<string, unknown>[];
      };
      expect(listed.data.find((s) => s.id === sub.id)).toBeDefined();
      expect(JSON.stringify(listed)).not.toContain(sub.secret);

      const { statusUrl, workflowId } = (await (await capture('Webhook check')).json()) as {
        statusUrl: string;
        workflowId: string;
      };
      expect((await waitForWorkflow(sys.api.url, statusUrl)).status).toBe('COMPLETED');
      const delivery = await until(() => hook.received[0], 30_000, 'the delivery');
      const ts = delivery.headers['x-webhook-timestamp'] as string;
      const signature = delivery.headers['x-webhook-signature'] as string;
      // The README's scheme, computed without the project's code, as a receiver in any language would: a change
      // on both sides (signWebhook and verifyWebhook together) would still pass the round trip below.
      expect(ts).toMatch(/^\d+$/);
      expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(300);
      expect(signature).toBe(
        `sha256=${createHmac('sha256', sub.secret).update(`${ts}.${delivery.body}`).digest('hex')}`,
      );
      expect(verifyWebhook(sub.secret, ts, delivery.body, signature)).toBe(true);
      expect(verifyWebhook(sub.secret, ts, `${delivery.body} `, signature)).toBe(false);
      // The timestamp is signed: a captured delivery replayed with a fresh timestamp does not verify.
      expect(verifyWebhook(sub.secret, String(Number(ts) + 1), delivery.body, signature)).toBe(false);
      expect(verifyWebhook(other.secret, ts, delivery.body, signature)).toBe(false);
      const otherDelivery = await until(() => otherHook.received[0]);
      const otherTs = otherDelivery.headers['x-webhook-timestamp'] as string;
      expect(otherDelivery.headers['x-webhook-signature']).toBe(
        `sha256=${createHmac('sha256', other.secret).update(`${otherTs}.${otherDelivery.body}`).digest('hex')}`,
      );
      expect(delivery.headers['x-webhook-id']).toMatch(/^[0-9a-f]{32}$/);
      // One delivery id per subscriber: a receiver dedupes retries on it, so two receivers must not share one.
      expect(otherDelivery.headers['x-webhook-id']).not.toBe(delivery.headers['x-webhook-id']);
      const event = JSON.parse(delivery.body) as {
        type: string;
        tenant: string;
        data: { workflowId: string };
      };
      expect(event).toMatchObject({ type: 'workflow.completed', tenant: 'sandbox', data: { workflowId } });
      // The attempt is logged once the receiver has answered, a moment after the request reached it.
      const log = await until(
        async () => {
          const page = (await (
            await fetch(`${sys.api.url}/v1/webhooks/${sub.id}/deliveries`, { headers: admin })
          ).json()) as { data: { outcome: string; responseStatus: number; deliveryId: string }[] };
          return page.data.length > 0 ? page : undefined;
        },
        30_000,
        'the delivery log',
      );
      expect(log.data).toEqual([
        expect.objectContaining({
          outcome: 'delivered',
          responseStatus: 204,
          deliveryId: delivery.headers['x-webhook-id'],
        }),
      ]);
      for (const id of [sub.id, other.id]) {
        expect(
          (await fetch(`${sys.api.url}/v1/webhooks/${id}`, { method: 'DELETE', headers: admin })).status,
        ).toBe(204);
      }
    } finally {
      await hook.close();
      await otherHook.close();
    }
  });

  test('when a subscribed URL holds characters a URL must encode, then the subscription keeps the URL as parsed (no raw control characters for the database)', async () => {
    const res = await subscribe({ url: 'http://127.0.0.1:9/a\u0000b c', events: ['workflow.completed'] });
    expect(res.status).toBe(201);
    const { id, url } = (await res.json()) as { id: string; url: string };
    expect(url).toBe('http://127.0.0.1:9/a%00b%20c');
    const listed = (await (await fetch(`${sys.api.url}/v1/webhooks`, { headers: admin })).json()) as {
      data: { id: string; url: string }[];
    };
    expect(listed.data.find((w) => w.id === id)?.url).toBe(url);
    await fetch(`${sys.api.url}/v1/webhooks/${id}`, { method: 'DELETE', headers: admin });
  });

  test('when a receiver keeps failing, then each attempt is logged with backoff and the subscription is disabled', async () => {
    const hook = await receiver(() => 500);
    try {
      const sub = (await (await subscribe({ url: hook.url, events: ['workflow.completed'] })).json()) as {
        id: string;
      };
      const { statusUrl } = (await (await capture('Failing receiver')).json()) as { statusUrl: string };
      await waitForWorkflow(sys.api.url, statusUrl);
      await until(() => (hook.received.length >= 2 ? true : undefined), 60_000);
      const disabled = await until(
        async () => {
          const list = (await (await fetch(`${sys.api.url}/v1/webhooks`, { headers: admin })).json()) as {
            data: { id: string; disabledAt: string | null }[];
          };
          const s = list.data.find((x) => x.id === sub.id);
          return s?.disabledAt ? s : undefined;
        },
        30_000,
        'the subscription to be disabled',
      );
      expect(disabled?.disabledAt).toBeTruthy();
      const log = (await (
        await fetch(`${sys.api.url}/v1/webhooks/${sub.id}/deliveries`, { headers: admin })
      ).json()) as { data: { attempt: number; outcome: string; deliveryId: string }[] };
      expect(log.data.map((d) => d.attempt).sort()).toEqual([1, 2]);
      expect(new Set(log.data.map((d) => d.deliveryId)).size).toBe(1);
      expect(hook.received).toHaveLength(2);
    } finally {
      await hook.close();
    }
  });

  test.each([
    ['a non-http URL', { url: 'ftp://127.0.0.1/x', events: ['workflow.completed'] }, 'body.url'],
    ['a private address', { url: 'http://10.1.2.3/hook', events: ['workflow.completed'] }, 'body.url'],
    [
      'a link-local address',
      { url: 'http://169.254.169.254/latest', events: ['workflow.completed'] },
      'body.url',
    ],
    ['an unknown event', { url: 'http://127.0.0.1:9/x', events: ['matter.deleted'] }, 'body.events.0'],
    ['no events', { url: 'http://127.0.0.1:9/x', events: [] }, 'body.events'],
    [
      'an unknown field',
      { url: 'http://127.0.0.1:9/x', events: ['workflow.failed'], secret: 'mine' },
      'body.secret',
    ],
  ])('when a subscription names %s, then 400 names the field', async (_n, body, field) => {
    const res = await subscribe(body);
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { error: { details: { fields: { field: string }[] } } };
    expect(answer.error.details.fields.map((f) => f.field)).toContain(field);
  });
});
