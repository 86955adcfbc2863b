import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { startSandbox, type Harness, type Json } from './helpers';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local receiver: records every POST and answers with the status the test chooses. */
let receiver: Server;
let received: Received[] = [];
let answer: (r: Received) => { status: number; headers?: Record<string, string> } = () => ({ status: 200 });
let receiverUrl = '';
let h: Harness;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const r = { headers: req.headers, body };
      received.push(r);
      const a = answer(r);
      res.writeHead(a.status, a.headers).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const addr = receiver.address();
  receiverUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/hook`;
  h = await startSandbox({ webhookRetryBaseMs: 50 });
});
afterAll(async () => {
  await h.sandbox.close();
  await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(() => {
  received = [];
  answer = () => ({ status: 200 });
});

const waitFor = async (cond: () => boolean, ms = 3000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

const hookOf = (r: Received): number | undefined =>
  r.body ? JSON.parse(r.body).meta?.webhook_id : undefined;

async function waitStatus(id: number, status: string): Promise<void> {
  const end = Date.now() + 3000;
  while ((await h.call(`/api/v4/webhooks/${id}?fields=status`)).body.data.status !== status) {
    if (Date.now() > end) throw new Error(`webhook ${id} never became ${status}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function createHook(events: string[], echo: boolean): Promise<Json> {
  answer = (r) =>
    echo && r.headers['x-hook-secret']
      ? { status: 200, headers: { 'X-Hook-Secret': String(r.headers['x-hook-secret']) } }
      : { status: 200 };
  const res = await h.call('/api/v4/webhooks.json?fields=id,status,shared_secret,expires_at', {
    method: 'POST',
    json: { data: { url: receiverUrl, model: 'matter', events, fields: 'id,display_number,status' } },
  });
  expect(res.status).toBe(201);
  await waitFor(() => received.some((r) => r.headers['x-hook-secret']));
  return res.body.data;
}

describe('webhooks', () => {
  it('when the receiver echoes X-Hook-Secret, then the webhook is enabled and deliveries are signed', async () => {
    const hook = await createHook(['created', 'updated', 'matter_closed'], true);
    await waitStatus(hook.id, 'enabled');
    // Default expiry: three days.
    expect(Date.parse(hook.expires_at) - Date.now()).toBeGreaterThan(2.9 * 86_400_000);
    received = [];
    const matter = await h.call('/api/v4/matters?fields=id', {
      method: 'POST',
      json: { data: { description: 'Hooked', client: { id: 1200001 } } },
    });
    await waitFor(() => received.length >= 1);
    const first = received[0]!;
    expect(first.headers['x-hook-signature']).toBe(
      createHmac('sha256', hook.shared_secret).update(first.body).digest('hex'),
    );
    expect(JSON.parse(first.body)).toEqual({
      data: { id: matter.body.data.id, display_number: expect.stringMatching(/^\d{5}-/), status: 'Open' },
      meta: { event: 'created', webhook_id: hook.id },
    });
    received = [];
    await h.call(`/api/v4/matters/${matter.body.data.id}`, {
      method: 'PATCH',
      json: { data: { status: 'closed' } },
    });
    await waitFor(() => received.length >= 2);
    expect(received.map((r) => JSON.parse(r.body).meta.event).sort()).toEqual(['matter_closed', 'updated']);
  });

  it('when not echoed, then the webhook stays pending until PUT /activate with the secret', async () => {
    const hook = await createHook(['created'], false);
    expect((await h.call(`/api/v4/webhooks/${hook.id}?fields=status`)).body.data.status).toBe('pending');
    expect(
      (
        await h.call(`/api/v4/webhooks/${hook.id}/activate`, {
          method: 'PUT',
          headers: { 'X-Hook-Secret': 'wrong' },
        })
      ).status,
    ).toBe(422);
    const ok = await h.call(`/api/v4/webhooks/${hook.id}/activate?fields=status`, {
      method: 'PUT',
      headers: { 'X-Hook-Secret': hook.shared_secret },
    });
    expect(ok.body.data.status).toBe('enabled');
    await h.call(`/api/v4/webhooks/${hook.id}`, { method: 'DELETE' });
  });

  it('when deliveries fail, then they are retried with backoff; a 410 suspends the webhook', async () => {
    const hook = await createHook(['created'], true);
    await waitStatus(hook.id, 'enabled');
    received = [];
    let calls = 0;
    answer = (r) => ({ status: hookOf(r) === hook.id && ++calls < 3 ? 500 : 200 });
    await h.call('/api/v4/matters', {
      method: 'POST',
      json: { data: { description: 'Retry me', client: { id: 1200001 } } },
    });
    await waitFor(() => received.filter((r) => hookOf(r) === hook.id).length >= 3);
    expect(calls).toBe(3);
    answer = (r) => ({ status: hookOf(r) === hook.id ? 410 : 200 });
    await h.call('/api/v4/matters', {
      method: 'POST',
      json: { data: { description: 'Gone', client: { id: 1200001 } } },
    });
    await waitStatus(hook.id, 'suspended');
  });

  it('when expires_at is beyond 31 days or the URL is not https, then 422', async () => {
    const far = new Date(Date.now() + 40 * 86_400_000).toISOString();
    const res = await h.call('/api/v4/webhooks', {
      method: 'POST',
      json: {
        data: {
          url: 'https://example.invalid/h',
          model: 'matter',
          events: ['created'],
          fields: 'id',
          expires_at: far,
        },
      },
    });
    expect(res.status).toBe(422);
    const insecure = await h.call('/api/v4/webhooks', {
      method: 'POST',
      json: { data: { url: 'http://example.com/h', model: 'matter', events: ['created'], fields: 'id' } },
    });
    expect(insecure.status).toBe(422);
    const badFields = await h.call('/api/v4/webhooks', {
      method: 'POST',
      json: {
        data: { url: 'https://example.invalid/h', model: 'matter', events: ['created'], fields: 'nope' },
      },
    });
    expect(badFields.status).toBe(400);
  });
});
