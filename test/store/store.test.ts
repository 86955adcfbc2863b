import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSecretBox } from '../../src/crypto/secret-box';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  createDatabase,
  createIdempotencyRepository,
  createOperationsLedger,
  parseDatabaseUrl,
  type Database,
} from '../../src/store';
import { migrationSource } from '../../src/store/migrations';
import { testDialects } from './dialects';

describe('parseDatabaseUrl', () => {
  it('when given sqlite and postgres URLs, then it names the dialect and target', () => {
    expect(parseDatabaseUrl('sqlite:.data/service.db')).toEqual({
      dialect: 'sqlite',
      filename: '.data/service.db',
    });
    expect(parseDatabaseUrl('sqlite:/tmp/x.db')).toEqual({ dialect: 'sqlite', filename: '/tmp/x.db' });
    expect(parseDatabaseUrl('postgres://u:p@h:5432/db')).toEqual({
      dialect: 'postgres',
      connectionString: 'postgres://u:p@h:5432/db',
    });
  });

  it('when the URL is neither, then the error does not echo it (it may hold a password)', () => {
    expect(() => parseDatabaseUrl('mysql://u:secretpw@h/db')).toThrow();
    try {
      parseDatabaseUrl('mysql://u:secretpw@h/db');
    } catch (error) {
      expect(String(error)).not.toContain('secretpw');
    }
  });
});

describe('SQLite with DATABASE_MIGRATE=false', () => {
  it('when the store file does not exist, then createDatabase refuses naming the migrate command and creates no file', async () => {
    const file = join(tmpdir(), `no-store-${randomBytes(6).toString('hex')}`, 'service.db');
    await expect(createDatabase(`sqlite:${file}`, { migrate: false })).rejects.toThrow(
      /no store at .*npm run migrate/,
    );
    expect(existsSync(file)).toBe(false);
  });

  it('when the store exists and is current, then it opens', async () => {
    const file = join(tmpdir(), `store-${randomBytes(6).toString('hex')}.db`);
    await (await createDatabase(`sqlite:${file}`)).close();
    try {
      const db = await createDatabase(`sqlite:${file}`, { migrate: false });
      await db.close();
    } finally {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    }
  });
});

describe.each(testDialects())('store on $name', (dialect) => {
  let url: string;
  let db: Database;
  let clock: Date;
  const now = (): Date => clock;

  beforeAll(async () => {
    url = await dialect.setup();
    db = await createDatabase(url);
  });
  afterAll(async () => {
    await db?.close();
    await dialect.teardown();
  });
  beforeEach(() => {
    clock = new Date('2026-01-01T00:00:00.000Z');
  });

  it('when opened twice (a second process starting), then migrations are already applied and nothing fails', async () => {
    const again = await createDatabase(url);
    const [, pending] = await again.knex.migrate.list({ migrationSource });
    expect(pending).toHaveLength(0);
    await again.close();
    if (dialect.name === 'sqlite') {
      expect(existsSync(url.slice('sqlite:'.length))).toBe(true);
      const mode = await db.knex.raw<{ journal_mode: string }[]>('PRAGMA journal_mode');
      expect(mode[0]?.journal_mode).toBe('wal');
    }
  });

  it('when several processes start at once on a fresh database, then all of them open it and migrate it once', async () => {
    const fresh =
      dialect.name === 'sqlite' ? url.replace(/service\.db$/, 'concurrent.db') : await freshPostgres(db, url);
    const worker = join(__dirname, 'open-worker.ts');
    await Promise.all(
      [1, 2, 3].map(() =>
        promisify(execFile)(process.execPath, ['--import', 'tsx', worker, fresh], {
          cwd: join(__dirname, '..', '..'),
        }),
      ),
    );
    const check = await createDatabase(fresh);
    try {
      const [{ n }] = (await check.knex('knex_migrations').count({ n: '*' })) as [{ n: number | string }];
      expect(Number(n)).toBe((await migrationSource.getMigrations([])).length);
    } finally {
      await check.close();
      if (dialect.name === 'postgres')
        await db.knex.raw(`DROP DATABASE ${new URL(fresh).pathname.slice(1)} WITH (FORCE)`);
    }
  });

  describe('idempotency repository', () => {
    const base = {
      tenant: 't1',
      requestHash: 'a'.repeat(64),
      statusCode: 202,
      responseBody: { workflowId: 'wf-1' },
      ttlMs: 60_000,
    };
    const box = createSecretBox(randomBytes(32));

    it('when an answer is stored, then the row holds it sealed, bound to its tenant and key', async () => {
      const repo = createIdempotencyRepository(db.knex, box, now);
      const secretAnswer = { id: 'wh_1', secret: 'whsec_shown_once' };
      await repo.insertIfAbsent({ ...base, key: 'k-sealed', statusCode: 201, responseBody: secretAnswer });
      const row = (await db.knex('idempotency_keys').where({ key: 'k-sealed' }).first()) as {
        response_body: string;
      };
      expect(row.response_body).not.toContain('whsec_shown_once');
      expect((await repo.get('t1', 'k-sealed'))?.responseBody).toEqual(secretAnswer);
      // Moved to another key's row, the sealed answer does not open.
      await repo.insertIfAbsent({ ...base, key: 'k-other' });
      await db
        .knex('idempotency_keys')
        .where({ key: 'k-other' })
        .update({ response_body: row.response_body });
      await expect(repo.get('t1', 'k-other')).rejects.toThrow();
    });

    it('when a key is new, then it is inserted; when repeated, then the first answer comes back', async () => {
      const repo = createIdempotencyRepository(db.knex, box, now);
      const first = await repo.insertIfAbsent({ ...base, key: 'k-new' });
      expect(first.inserted).toBe(true);
      const second = await repo.insertIfAbsent({
        ...base,
        key: 'k-new',
        requestHash: 'b'.repeat(64),
        responseBody: { other: 1 },
      });
      expect(second.inserted).toBe(false);
      expect(second.record.requestHash).toBe('a'.repeat(64));
      expect(second.record.responseBody).toEqual({ workflowId: 'wf-1' });
      expect((await repo.get('t1', 'k-new'))?.statusCode).toBe(202);
      expect(await repo.get('t2', 'k-new')).toBeUndefined();
    });

    it('when many requests race on one key, then exactly one inserts', async () => {
      const repo = createIdempotencyRepository(db.knex, box, now);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          repo.insertIfAbsent({ ...base, key: 'k-race', responseBody: { i } }),
        ),
      );
      expect(results.filter((r) => r.inserted)).toHaveLength(1);
      const winner = results.find((r) => r.inserted)!.record.responseBody;
      for (const r of results) expect(r.record.responseBody).toEqual(winner);
    });

    it('when a key has expired, then get misses, a new insert wins and expireOld sweeps', async () => {
      const repo = createIdempotencyRepository(db.knex, box, now);
      await repo.insertIfAbsent({ ...base, key: 'k-exp', ttlMs: 1000 });
      await repo.insertIfAbsent({ ...base, key: 'k-exp2', ttlMs: 1000 });
      clock = new Date(clock.getTime() + 5000);
      expect(await repo.get('t1', 'k-exp')).toBeUndefined();
      const again = await repo.insertIfAbsent({ ...base, key: 'k-exp', responseBody: { fresh: true } });
      expect(again.inserted).toBe(true);
      expect(again.record.responseBody).toEqual({ fresh: true });
      expect(await repo.expireOld()).toBeGreaterThanOrEqual(1);
      expect(await db.knex('idempotency_keys').where({ key: 'k-exp2' }).first()).toBeUndefined();
    });
  });

  describe('operations ledger', () => {
    it('when recorded twice, then it upserts and keeps the external id learned earlier', async () => {
      const ledger = createOperationsLedger(db.knex, now);
      expect(await ledger.get('wf-1:create-matter')).toBeUndefined();
      const first = await ledger.record('wf-1:create-matter', {
        tenant: 't1',
        kind: 'clio.matter.create',
        externalId: '123',
        outcome: 'succeeded',
      });
      expect(first).toMatchObject({
        key: 'wf-1:create-matter',
        tenant: 't1',
        externalId: '123',
        outcome: 'succeeded',
      });
      clock = new Date(clock.getTime() + 1000);
      const second = await ledger.record('wf-1:create-matter', {
        tenant: 't1',
        kind: 'clio.matter.create',
        outcome: 'verified',
      });
      expect(second.externalId).toBe('123');
      expect(second.outcome).toBe('verified');
      expect(second.createdAt.toISOString()).toBe('2026-01-01T00:00:00.000Z');
      expect(second.updatedAt.toISOString()).toBe('2026-01-01T00:00:01.000Z');
      const third = await ledger.record('wf-1:create-matter', {
        tenant: 't1',
        kind: 'clio.matter.create',
        externalId: '456',
        outcome: 'replaced',
      });
      expect(third.externalId).toBe('456');
    });

    it('when an operation has no external id yet, then it reads back without one', async () => {
      const ledger = createOperationsLedger(db.knex, now);
      await ledger.record('wf-2:step', { tenant: 't1', kind: 'clio.bill.create', outcome: 'started' });
      const op = await ledger.get('wf-2:step');
      expect(op).toBeDefined();
      expect(op!.externalId).toBeUndefined();
    });
  });
});

/** A second, empty database in the same PostgreSQL server. */
async function freshPostgres(db: Database, url: string): Promise<string> {
  const name = `fresh_${Date.now()}`;
  await db.knex.raw(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
