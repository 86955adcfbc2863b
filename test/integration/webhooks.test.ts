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
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
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

async function until<T>(fn: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out waiting');
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
    try {
      const res = await subscribe({ url: hook.url, events: ['workflow.completed'] });
      expect(res.status).toBe(201);
      const sub = (await res.json()) as { id: string; secret: string; url: string };
      expect(sub.secret).toMatch(/^whsec_/);
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
      const delivery = await until(() => hook.received[0]);
      const ts = delivery.headers['x-webhook-timestamp'] as string;
      expect(
        verifyWebhook(sub.secret, ts, delivery.body, delivery.headers['x-webhook-signature'] as string),
      ).toBe(true);
      expect(
        verifyWebhook(sub.secret, ts, `${delivery.body} `, delivery.headers['x-webhook-signature'] as string),
      ).toBe(false);
      expect(delivery.headers['x-webhook-id']).toMatch(/^[0-9a-f]{32}$/);
      const event = JSON.parse(delivery.body) as {
        type: string;
        tenant: string;
        data: { workflowId: string };
      };
      expect(event).toMatchObject({ type: 'workflow.completed', tenant: 'sandbox', data: { workflowId } });
      const log = (await (
        await fetch(`${sys.api.url}/v1/webhooks/${sub.id}/deliveries`, { headers: admin })
      ).json()) as { data: { outcome: string; responseStatus: number }[] };
      expect(log.data).toEqual([expect.objectContaining({ outcome: 'delivered', responseStatus: 204 })]);
      expect(
        (await fetch(`${sys.api.url}/v1/webhooks/${sub.id}`, { method: 'DELETE', headers: admin })).status,
      ).toBe(204);
    } finally {
      await hook.close();
    }
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
      const disabled = await (async () => {
        for (let i = 0; i < 100; i++) {
          const list = (await (await fetch(`${sys.api.url}/v1/webhooks`, { headers: admin })).json()) as {
            data: { id: string; disabledAt: string | null }[];
          };
          const s = list.data.find((x) => x.id === sub.id);
          if (s?.disabledAt) return s;
          await new Promise((r) => setTimeout(r, 100));
        }
        return undefined;
      })();
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
