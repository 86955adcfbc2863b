import { randomUUID } from 'node:crypto';
import { startSystem, type System } from '../helpers/system';
import { testDialects } from '../store/dialects';

interface Answer {
  status: number;
  replayed: string | null;
  retryAfter: string | null;
  body: { id?: string; secret?: string; error?: { code: string } };
}

/**
 * Requests racing under one Idempotency-Key, on a route whose effect is not a workflow (a webhook subscription):
 * nothing below the key tells two racing requests apart there, so the key itself must let one through at a time.
 */
describe.each(testDialects())('Idempotency-Key: racing requests (real Temporal, $name store)', (dialect) => {
  let sys: System;
  beforeAll(async () => {
    sys = await startSystem({ DATABASE_URL: await dialect.setup() });
  });
  afterAll(async () => {
    await sys?.stop();
    await dialect.teardown();
  });

  async function post(path: string, body: unknown, idempotencyKey: string): Promise<Answer> {
    const res = await fetch(`${sys.api.url}${path}`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer sandbox-admin',
        'content-type': 'application/json',
        'idempotency-key': idempotencyKey,
      },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      replayed: res.headers.get('idempotent-replayed'),
      retryAfter: res.headers.get('retry-after'),
      body: (await res.json()) as Answer['body'],
    };
  }

  async function subscriptionsTo(url: string): Promise<string[]> {
    const res = await fetch(`${sys.api.url}/v1/webhooks`, {
      headers: { authorization: 'Bearer sandbox-admin' },
    });
    return ((await res.json()) as { data: { id: string; url: string }[] }).data
      .filter((s) => s.url === url)
      .map((s) => s.id);
  }

  test('when identical requests race under one key, then one subscription is created and every answer is its answer or a 409 in progress', async () => {
    const url = `http://127.0.0.1:9/race-${randomUUID()}`;
    const body = { url, events: ['billing_run.completed'] };
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 8 }, () => post('/v1/webhooks', body, key)));

    const subscriptions = await subscriptionsTo(url);
    expect(subscriptions).toHaveLength(1);
    const created = answers.filter((a) => a.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const a of created)
      expect(a.body).toMatchObject({ id: subscriptions[0], secret: expect.any(String) });
    for (const a of answers.filter((x) => x.status !== 201)) {
      expect(a).toMatchObject({ status: 409, body: { error: { code: 'idempotency_key_in_progress' } } });
      expect(Number(a.retryAfter)).toBeGreaterThan(0);
    }
    // Once the first is answered, the key replays it.
    const again = await post('/v1/webhooks', body, key);
    expect(again).toMatchObject({ status: 201, replayed: 'true', body: { id: subscriptions[0] } });
  });

  test('when requests with different bodies race under one key, then only one of them takes effect and the others are 409', async () => {
    const key = randomUUID();
    const urls = Array.from({ length: 6 }, (_, i) => `http://127.0.0.1:9/race-${i}-${randomUUID()}`);
    const answers = await Promise.all(
      urls.map((url) => post('/v1/webhooks', { url, events: ['billing_run.completed'] }, key)),
    );
    const made = (await Promise.all(urls.map(subscriptionsTo))).flat();
    expect(made).toHaveLength(1);
    expect(answers.filter((a) => a.status === 201).map((a) => a.body.id)).toEqual(made);
    for (const a of answers.filter((x) => x.status !== 201)) expect(a.status).toBe(409);
  });

  test('when the process answering a key died after starting its workflow, then the key is "in progress" until its claim lapses, and then the same run is the answer, started once', async () => {
    const dump = (await (await fetch(`${sys.clioUrl}/_sandbox/dump`)).json()) as {
      matters: { id: number }[];
    };
    const key = randomUUID();
    const body = {
      entries: [
        { matterId: String(dump.matters[0]!.id), date: '2026-11-07', durationSeconds: 60, description: key },
      ],
    };
    const post = (idempotencyKey: string) =>
      fetch(`${sys.api.url}/v1/time-entries`, {
        method: 'POST',
        headers: {
          authorization: 'Bearer sandbox-attorney',
          'content-type': 'application/json',
          'idempotency-key': idempotencyKey,
        },
        body: JSON.stringify(body),
      });
    const starts = async () =>
      Number(
        /workflow_starts_total\{type="timeCapture"\} (\d+)/.exec(
          await (await fetch(`${sys.api.url}/metrics`)).text(),
        )?.[1] ?? 0,
      );
    const first = await post(key);
    expect(first.status).toBe(202);
    const started = (await first.json()) as { workflowId: string; runId: string };
    const startsAfterFirst = await starts();
    // What a process that died between the start and the store leaves behind: the key claimed, no answer.
    const rows = () => sys.db.knex('idempotency_keys').where({ tenant: sys.config.DEFAULT_TENANT, key });
    await rows().update({
      status_code: 102,
      response_body: 'null',
      expires_at: new Date(Date.now() + 60_000),
    });

    const meanwhile = await post(key);
    expect(meanwhile.status).toBe(409);
    expect(meanwhile.headers.get('retry-after')).toBe('1');
    expect(((await meanwhile.json()) as { error: { code: string } }).error.code).toBe(
      'idempotency_key_in_progress',
    );

    await rows().update({ expires_at: new Date(Date.now() - 1) });
    const after = await post(key);
    expect(after.status).toBe(202);
    expect(await after.json()).toEqual({ ...started, statusUrl: expect.any(String) });
    const replay = await post(key);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.json()).toMatchObject(started);
    expect(await starts()).toBe(startsAfterFirst);
  });
});
