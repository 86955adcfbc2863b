import { createHash, randomUUID } from 'node:crypto';
import { requestHash, storedRequestHash } from '../../src/api/idempotency';
import { type Config } from '../../src/config';
import { createSecretBox, parseKey } from '../../src/crypto/secret-box';
import { type Database } from '../../src/store/database';
import { createIdempotencyRepository } from '../../src/store/idempotency-repository';
import { toDate } from '../../src/store/sql-values';
import { type Api, startApi } from './api-harness';

interface Answer {
  status: number;
  replayed: string | null;
  body: { id?: string; secret?: string; error?: { code: string } };
}

/**
 * The API alone, with no Temporal behind it: the webhook route takes effect without Temporal (a subscription in
 * the store), and a time entry waits API_TEMPORAL_TIMEOUT_SECONDS for it, holding its key meanwhile. Routes with
 * path parameters need Temporal to accept a request; they are covered in test/integration/idempotency-routes.
 */
describe('Idempotency-Key: how a path is spelled, answers kept before, the claim lease (API without Temporal)', () => {
  let api: Api;
  let db: Database;
  let config: Config;

  beforeAll(async () => {
    // Nothing listens at TEMPORAL_ADDRESS: a time entry waits the whole timeout for Temporal, then answers 503.
    api = await startApi({ API_TEMPORAL_TIMEOUT_SECONDS: '2', IDEMPOTENCY_LEASE_SECONDS: '7' });
    ({ db, config } = api);
  });
  afterAll(async () => {
    await api?.stop();
  });

  async function post(urlPath: string, body: unknown, idempotencyKey: string): Promise<Answer> {
    const res = await fetch(`${api.url}${urlPath}`, {
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
      body: (await res.json()) as Answer['body'],
    };
  }

  async function subscriptionsTo(url: string): Promise<string[]> {
    const res = await fetch(`${api.url}/v1/webhooks`, { headers: { authorization: 'Bearer sandbox-admin' } });
    return ((await res.json()) as { data: { id: string; url: string }[] }).data
      .filter((s) => s.url === url)
      .map((s) => s.id);
  }

  test.each([
    ['/v1/webhooks', '/V1/WEBHOOKS'],
    ['/v1/webhooks', '/v1/webhooks/'],
    ['/V1/Webhooks/', '/v1/webhooks'],
    ['/v1/webhooks', '/v1/Webhooks/?'],
  ])(
    'when a request is sent to %s and again to %s (the same route) with the same key and body, then the second is the first answer replayed and nothing more is created',
    async (firstPath, againPath) => {
      const url = `http://127.0.0.1:9/spelled-${randomUUID()}`;
      const body = { url, events: ['billing_run.completed'] };
      const key = randomUUID();
      const first = await post(firstPath, body, key);
      expect(first.status).toBe(201);
      expect(first.replayed).toBeNull();

      const again = await post(againPath, body, key);
      expect({ status: again.status, body: again.body }).toEqual({ status: 201, body: first.body });
      expect(again.replayed).toBe('true');
      expect(await subscriptionsTo(url)).toEqual([first.body.id]);

      // Still the same key: another body under it, however the path is spelled, is refused.
      const other = await post(againPath, { ...body, events: ['workflow.failed'] }, key);
      expect(other.status).toBe(409);
      expect(other.body.error?.code).toBe('idempotency_key_reused');
      expect(await subscriptionsTo(url)).toEqual([first.body.id]);
    },
  );

  // Answers stored before the path was canonical were hashed with the path as the client spelled it (keyed, or,
  // before that, plain): the same request, spelled the same way, still gets its answer while they are kept.
  test.each([
    ['keyed with the spelled path', 'keyed'],
    ['plain (before hashes were keyed) with the spelled path', 'plain'],
  ] as const)(
    'when an answer was stored %s, then the same request spelled the same way replays it',
    async (_what, kind) => {
      const spelled = '/V1/Webhooks/';
      const url = `http://127.0.0.1:9/stored-${randomUUID()}`;
      const body = { url, events: ['billing_run.completed'] };
      const key = randomUUID();
      const hashKey = createHash('sha256')
        .update('idempotency-request-hash\n')
        .update(parseKey(config.DATA_ENCRYPTION_KEY))
        .digest();
      const stored = { id: 'wh_stored_before', url, secret: 'whsec_stored_before' };
      await createIdempotencyRepository(
        db.knex,
        createSecretBox(parseKey(config.DATA_ENCRYPTION_KEY)),
      ).insertIfAbsent({
        tenant: config.DEFAULT_TENANT,
        key,
        requestHash:
          kind === 'keyed'
            ? storedRequestHash(hashKey, 'POST', spelled, body)
            : requestHash('POST', spelled, body),
        statusCode: 201,
        responseBody: stored,
        ttlMs: 3_600_000,
      });

      const again = await post(spelled, body, key);
      expect(again).toEqual({ status: 201, replayed: 'true', body: stored });
      expect(await subscriptionsTo(url)).toEqual([]);
      const other = await post(spelled, { ...body, events: ['workflow.failed'] }, key);
      expect(other.status).toBe(409);
      expect(other.body.error?.code).toBe('idempotency_key_reused');
    },
  );

  test('when IDEMPOTENCY_LEASE_SECONDS is 7, then a request being answered holds its key for 7 seconds', async () => {
    const key = randomUUID();
    const row = () =>
      db
        .knex('idempotency_keys')
        .where({ tenant: config.DEFAULT_TENANT, key })
        .first<{ status_code: number | string; created_at: unknown; expires_at: unknown } | undefined>();
    const body = {
      entries: [{ matterId: '9800001', date: '2026-11-20', durationSeconds: 600, description: 'Lease' }],
    };
    const answer = post('/v1/time-entries', body, key);
    // While it waits for Temporal, the key is claimed (102) until created_at + the lease.
    let claim: Awaited<ReturnType<typeof row>>;
    const deadline = Date.now() + 1_500;
    while (!claim && Date.now() < deadline) {
      claim = await row();
      if (!claim) await new Promise((r) => setTimeout(r, 10));
    }
    expect(claim).toBeDefined();
    expect(Number(claim!.status_code)).toBe(102);
    expect(toDate(claim!.expires_at).getTime() - toDate(claim!.created_at).getTime()).toBe(7_000);

    // Meanwhile the same key is "in progress"; the 503 that follows frees it.
    const meanwhile = await post('/v1/time-entries', body, key);
    expect({ status: meanwhile.status, code: meanwhile.body.error?.code }).toEqual({
      status: 409,
      code: 'idempotency_key_in_progress',
    });
    expect((await answer).status).toBe(503);
    expect(await row()).toBeUndefined();
  });
});
