import { randomBytes } from 'node:crypto';
import { createSecretBox } from '../../src/crypto/secret-box';
import { createDatabase, createIdempotencyRepository, type Database } from '../../src/store';
import { testDialects } from './dialects';

// store.test.ts covers sealing, first-answer-wins, a race on a fresh key and a basic expiry; this file covers
// what else the API's Idempotency-Key handling relies on, on both databases.
describe.each(testDialects())('idempotency repository on $name', (dialect) => {
  let db: Database;
  let clock: Date;
  const now = () => clock;
  const box = createSecretBox(randomBytes(32));
  const base = {
    tenant: 't1',
    requestHash: 'a'.repeat(64),
    statusCode: 202,
    responseBody: { workflowId: 'wf-1' } as unknown,
    ttlMs: 60_000,
  };
  beforeAll(async () => {
    db = await createDatabase(await dialect.setup());
  });
  afterAll(async () => {
    await db?.close();
    await dialect.teardown();
  });
  beforeEach(async () => {
    clock = new Date('2026-05-01T12:00:00.250Z');
    await db.knex('idempotency_keys').delete();
  });

  test('when an answer is stored, then its times come back as Dates to the millisecond and its status as a number', async () => {
    const repo = createIdempotencyRepository(db.knex, box, now);
    const { record } = await repo.insertIfAbsent({
      ...base,
      key: 'k-times',
      statusCode: 201,
      ttlMs: 86_400_000,
    });
    const read = (await repo.get('t1', 'k-times'))!;
    expect(read).toEqual(record);
    expect(read.createdAt).toBeInstanceOf(Date);
    expect(read.createdAt.toISOString()).toBe('2026-05-01T12:00:00.250Z');
    expect(read.expiresAt.toISOString()).toBe('2026-05-02T12:00:00.250Z');
    expect(read.statusCode).toBe(201);
  });

  test('when answers of every JSON shape are stored, then each comes back as it went in', async () => {
    const repo = createIdempotencyRepository(db.knex, box, now);
    const shapes: [string, unknown, unknown][] = [
      ['null', null, null],
      ['undefined', undefined, null],
      ['array', [1, 'two', { three: [3] }], [1, 'two', { three: [3] }]],
      ['text', 'Grüße 😀 "quoted" \\ \u0000 end', 'Grüße 😀 "quoted" \\ \u0000 end'],
      ['number', 12345678901234, 12345678901234],
      ['false', false, false],
      [
        'nested',
        { a: { b: { c: [true, null, 1.5] } }, empty: {} },
        { a: { b: { c: [true, null, 1.5] } }, empty: {} },
      ],
    ];
    for (const [key, body, expected] of shapes) {
      await repo.insertIfAbsent({ ...base, key, responseBody: body });
      expect((await repo.get('t1', key))?.responseBody).toEqual(expected);
    }
  });

  test('when two tenants use the same key, then each has its own answer', async () => {
    const repo = createIdempotencyRepository(db.knex, box, now);
    const a = await repo.insertIfAbsent({ ...base, tenant: 'ta', key: 'shared', responseBody: { who: 'a' } });
    const b = await repo.insertIfAbsent({ ...base, tenant: 'tb', key: 'shared', responseBody: { who: 'b' } });
    expect([a.inserted, b.inserted]).toEqual([true, true]);
    expect((await repo.get('ta', 'shared'))?.responseBody).toEqual({ who: 'a' });
    expect((await repo.get('tb', 'shared'))?.responseBody).toEqual({ who: 'b' });
  });

  test('when a key reaches its expiry instant, then it is gone for get and for the sweep, and a key a millisecond younger stays', async () => {
    const repo = createIdempotencyRepository(db.knex, box, now);
    await repo.insertIfAbsent({ ...base, key: 'k-edge', ttlMs: 1000 });
    await repo.insertIfAbsent({ ...base, key: 'k-younger', ttlMs: 1001 });
    clock = new Date(clock.getTime() + 999);
    expect(await repo.get('t1', 'k-edge')).toBeDefined();
    clock = new Date(clock.getTime() + 1);
    expect(await repo.get('t1', 'k-edge')).toBeUndefined();
    expect(await repo.get('t1', 'k-younger')).toBeDefined();
    // PostgreSQL and SQLite report deletions alike: a number, never a string.
    expect(await repo.expireOld()).toBe(1);
    expect(await repo.get('t1', 'k-younger')).toBeDefined();
    expect(await repo.expireOld()).toBe(0);
  });

  test('when the sweep runs, then it removes exactly the expired keys, of every tenant, and says how many', async () => {
    const repo = createIdempotencyRepository(db.knex, box, now);
    for (let i = 0; i < 5; i++)
      await repo.insertIfAbsent({ ...base, tenant: `t${i % 2}`, key: `short-${i}`, ttlMs: 1000 });
    for (let i = 0; i < 3; i++) await repo.insertIfAbsent({ ...base, key: `long-${i}`, ttlMs: 10_000 });
    clock = new Date(clock.getTime() + 5000);
    expect(await repo.expireOld()).toBe(5);
    const left = (await db.knex('idempotency_keys').select('key').orderBy('key')) as { key: string }[];
    expect(left.map((r) => r.key)).toEqual(['long-0', 'long-1', 'long-2']);
  });

  test('when several API processes sweep at once, then none fails and each expired key is counted once', async () => {
    const repo = createIdempotencyRepository(db.knex, box, now);
    for (let i = 0; i < 40; i++) await repo.insertIfAbsent({ ...base, key: `sweep-${i}`, ttlMs: 1000 });
    clock = new Date(clock.getTime() + 5000);
    const counts = await Promise.all(Array.from({ length: 4 }, () => repo.expireOld()));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(40);
    expect(await db.knex('idempotency_keys').select()).toEqual([]);
  });

  test('when many requests race on a key whose answer expired but was not yet swept, then exactly one stores a new answer and all see it', async () => {
    const repo = createIdempotencyRepository(db.knex, box, now);
    await repo.insertIfAbsent({ ...base, key: 'k-stale', responseBody: { stale: true }, ttlMs: 1000 });
    clock = new Date(clock.getTime() + 2000);
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        repo.insertIfAbsent({
          ...base,
          key: 'k-stale',
          requestHash: i.toString(16).repeat(64),
          responseBody: { fresh: i },
        }),
      ),
    );
    expect(results.filter((r) => r.inserted)).toHaveLength(1);
    const winner = results.find((r) => r.inserted)!.record;
    expect(winner.responseBody).not.toEqual({ stale: true });
    expect(winner.createdAt.toISOString()).toBe(clock.toISOString());
    for (const r of results) expect(r.record).toEqual(winner);
    expect(await repo.get('t1', 'k-stale')).toEqual(winner);
  });

  test('when a record is invalid, then it is refused and nothing is stored', async () => {
    const repo = createIdempotencyRepository(db.knex, box, now);
    await expect(repo.insertIfAbsent({ ...base, key: '' })).rejects.toThrow();
    await expect(repo.insertIfAbsent({ ...base, key: 'k'.repeat(256) })).rejects.toThrow();
    await expect(repo.insertIfAbsent({ ...base, key: 'k-bad', requestHash: 'xyz' })).rejects.toThrow();
    await expect(repo.insertIfAbsent({ ...base, key: 'k-bad', statusCode: 99 })).rejects.toThrow();
    await expect(repo.insertIfAbsent({ ...base, key: 'k-bad', ttlMs: 0 })).rejects.toThrow();
    expect(await db.knex('idempotency_keys').select()).toEqual([]);
    // The longest allowed key and tenant fit the columns on either database.
    const longest = await repo.insertIfAbsent({ ...base, tenant: 't'.repeat(64), key: 'k'.repeat(255) });
    expect(longest.inserted).toBe(true);
  });

  const claimOf = (key: string, requestHash = base.requestHash) => ({
    tenant: 't1',
    key,
    requestHash,
    leaseMs: 1000,
  });

  test('when many requests claim one key at once, then exactly one holds it and the others see it pending, with its request hash', async () => {
    const repo = createIdempotencyRepository(db.knex, box, now);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => repo.claim(claimOf('k-claim', i.toString(16).repeat(64)))),
    );
    const held = results.filter((r) => r.claimed);
    expect(held).toHaveLength(1);
    const others = results.filter((r) => !r.claimed);
    const hashes = new Set(others.map((r) => (r.claimed ? '' : r.record.requestHash)));
    expect(hashes.size).toBe(1);
    for (const r of others) expect(r.claimed ? undefined : r.record.pending).toBe(true);
  });

  test('when a claim is settled, then its answer is kept from that moment for the TTL and is no longer pending', async () => {
    const repo = createIdempotencyRepository(db.knex, box, now);
    const claimed = await repo.claim(claimOf('k-settle'));
    if (!claimed.claimed) throw new Error('not claimed');
    clock = new Date(clock.getTime() + 500);
    const { inserted, record } = await repo.settle(claimed.claim, {
      requestHash: base.requestHash,
      statusCode: 201,
      responseBody: { id: 'wh_1', secret: 'whsec_x' },
      ttlMs: 60_000,
    });
    expect(inserted).toBe(true);
    expect(record).toMatchObject({
      statusCode: 201,
      pending: false,
      responseBody: { id: 'wh_1', secret: 'whsec_x' },
    });
    expect(record.expiresAt.getTime() - clock.getTime()).toBe(60_000);
    const row = (await db.knex('idempotency_keys').where({ key: 'k-settle' }).first()) as {
      response_body: string;
    };
    expect(row.response_body).not.toContain('whsec_x');
    const again = await repo.claim(claimOf('k-settle'));
    expect(again.claimed ? undefined : again.record).toEqual(record);
  });

  test('when a claim is released, then the key is free; a release after the claim lapsed and was taken over leaves the new holder alone', async () => {
    const repo = createIdempotencyRepository(db.knex, box, now);
    const first = await repo.claim(claimOf('k-release'));
    if (!first.claimed) throw new Error('not claimed');
    await repo.release(first.claim);
    expect(await repo.get('t1', 'k-release')).toBeUndefined();

    const old = await repo.claim(claimOf('k-release'));
    if (!old.claimed) throw new Error('not claimed');
    expect((await repo.claim(claimOf('k-release'))).claimed).toBe(false);
    clock = new Date(clock.getTime() + 1000);
    const taker = await repo.claim(claimOf('k-release', 'b'.repeat(64)));
    expect(taker.claimed).toBe(true);
    await repo.release(old.claim);
    expect(await repo.get('t1', 'k-release')).toMatchObject({ pending: true, requestHash: 'b'.repeat(64) });
    // The lapsed holder's answer does not overwrite the new claim: it is told who holds the key.
    const late = await repo.settle(old.claim, {
      requestHash: base.requestHash,
      statusCode: 202,
      responseBody: { late: true },
      ttlMs: 60_000,
    });
    expect(late).toMatchObject({ inserted: false, record: { pending: true, requestHash: 'b'.repeat(64) } });
  });

  test('when a claim is never settled, then the sweep removes it once its lease is over', async () => {
    const repo = createIdempotencyRepository(db.knex, box, now);
    await repo.claim(claimOf('k-dead'));
    expect(await repo.expireOld()).toBe(0);
    clock = new Date(clock.getTime() + 1000);
    expect(await repo.expireOld()).toBe(1);
  });
});
