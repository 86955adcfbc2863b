import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import knexFactory, { type Knex } from 'knex';
import { parse as parseYaml } from 'yaml';
import { createApiKeyRepository } from '../../src/api/auth/api-keys';
import { createAuditStore, type AuditAppendInput } from '../../src/audit';
import { DEFAULT_RETENTION_YEARS, retentionCutoff } from '../../src/audit/retention';
import { ConfigError, loadSettings } from '../../src/config';
import { createSecretBox } from '../../src/crypto/secret-box';
import { createSessionStore } from '../../src/sessions';
import {
  createDatabase,
  createIdempotencyRepository,
  createOperationsLedger,
  migrateDatabase,
  SchemaNotCurrentError,
  type Database,
  type MigrateResult,
} from '../../src/store';
import { migrationSource } from '../../src/store/migrations';
import { acquirePostgres, type PgTestDatabase } from './pg-server';

/**
 * The production split on a real PostgreSQL: the owner role migrates (the migrate command), the service role the
 * API and workers connect as holds data rights only, so the audit trail cannot be truncated or its triggers
 * dropped by the service. The init script of docker-compose.yml is run as Docker would run it.
 */

const connect = (url: string): Knex =>
  knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });

/** The same server and database as another role (the test clusters trust local connections). */
function asRole(url: string, role: string, password = ''): string {
  const u = new URL(url);
  u.username = role;
  u.password = password;
  return u.toString();
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** An audit record about no matter: the retention purge may remove it once it is old enough. */
function entry(tenant: string, key: string): AuditAppendInput {
  return {
    tenant,
    actor: { type: 'user', id: 'ops@host' },
    action: 'api_key.created',
    target: { kind: 'api_key', ids: { apiKeyId: key } },
    workflowId: 'operator:apikey',
    runId: 'run-1',
    idempotencyKey: key,
    outcome: 'succeeded',
  };
}

/** What PostgreSQL answers a role without the right: insufficient_privilege (a trigger's refusal is P0001). */
const refused = (message: RegExp) => ({ code: '42501', message: expect.stringMatching(message) as string });

describe('PostgreSQL: an owner role migrates, the service role holds data rights only', () => {
  const id = randomBytes(4).toString('hex');
  const OWNER = `co_owner_${id}`;
  const SERVICE = `co_service_${id}`;
  const EXTRA = `co_extra_${id}`;
  const SUPER = `co_super_${id}`;
  const PENDING_DB = `pending_${id}`;
  let pg: PgTestDatabase;
  let admin: Knex;
  let ownerUrl: string;
  let serviceUrl: string;
  let service: Database;
  let first: MigrateResult;
  let clock: Date;
  const now = (): Date => clock;

  beforeAll(async () => {
    pg = await acquirePostgres();
    admin = connect(pg.url);
    const database = new URL(pg.url).pathname.slice(1);
    await admin.raw('CREATE ROLE ?? LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', [OWNER]);
    await admin.raw('CREATE ROLE ?? LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', [SERVICE]);
    await admin.raw('ALTER DATABASE ?? OWNER TO ??', [database, OWNER]);
    ownerUrl = asRole(pg.url, OWNER);
    serviceUrl = asRole(pg.url, SERVICE);
    first = await migrateDatabase(ownerUrl, { serviceRole: SERVICE });
    service = await createDatabase(serviceUrl, { migrate: false });
  });
  afterAll(async () => {
    await service?.close();
    await admin?.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [PENDING_DB]);
    await admin?.destroy();
    await pg?.release();
    // A server of CI's own outlives the test: its roles are cluster-wide (a throwaway cluster is gone already).
    if (process.env.TEST_DATABASE_URL) {
      const server = connect(process.env.TEST_DATABASE_URL);
      try {
        for (const role of [EXTRA, SUPER, SERVICE, OWNER]) await server.raw('DROP ROLE IF EXISTS ??', [role]);
      } finally {
        await server.destroy();
      }
    }
  });
  beforeEach(() => {
    clock = new Date('2026-01-01T00:00:00.000Z');
  });

  const auditCount = async (): Promise<number> =>
    Number(((await admin('audit_records').count({ n: '*' }).first()) as { n: string }).n);

  test('when migrated with DATABASE_SERVICE_ROLE, then the owner owns every table and the service role holds only its rights', async () => {
    expect(first.applied).toEqual((await migrationSource.getMigrations([])).map((m) => m.name));
    expect(first.grants?.tables).toMatchObject({
      audit_records: ['SELECT', 'INSERT', 'DELETE'],
      audit_chain_heads: ['SELECT', 'INSERT', 'UPDATE'],
      knex_migrations: ['SELECT'],
      knex_migrations_lock: [],
      api_keys: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
      portal_session_workflows: ['SELECT', 'INSERT', 'UPDATE'],
    });
    const owners = (
      await admin.raw<{ rows: { tableowner: string }[] }>(
        `SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'`,
      )
    ).rows.map((r) => r.tableowner);
    expect(owners).toEqual([OWNER]);
    const { rows } = await admin.raw<{ rows: { relname: string; privilege: string }[] }>(
      `SELECT c.relname::text AS relname, p.privilege FROM pg_class c
         CROSS JOIN unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE','TRUNCATE','REFERENCES','TRIGGER']) AS p(privilege)
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND has_table_privilege(?, c.oid, p.privilege)
        ORDER BY 1, 2`,
      [SERVICE],
    );
    const held = (table: string) => rows.filter((r) => r.relname === table).map((r) => r.privilege);
    expect(held('audit_records')).toEqual(['DELETE', 'INSERT', 'SELECT']);
    expect(held('audit_chain_heads')).toEqual(['INSERT', 'SELECT', 'UPDATE']);
    expect(held('portal_session_workflows')).toEqual(['INSERT', 'SELECT', 'UPDATE']);
    expect(rows.filter((r) => ['TRUNCATE', 'REFERENCES', 'TRIGGER'].includes(r.privilege))).toEqual([]);
  });

  test("when the service role opens the current database, then it starts, migrate setting or not, and the service's repositories work", async () => {
    // The default (DATABASE_MIGRATE unset: migrate) finds nothing pending and writes nothing, not even knex's lock.
    const defaulted = await createDatabase(serviceUrl);
    await defaulted.close();

    const audit = createAuditStore(service, { now });
    for (const key of ['k-1', 'k-2', 'k-3'])
      expect((await audit.append(entry('acme', key))).created).toBe(true);
    expect((await audit.append(entry('acme', 'k-2'))).created).toBe(false);
    expect((await audit.query({ tenant: 'acme' })).records.map((r) => r.idempotencyKey)).toEqual([
      'k-3',
      'k-2',
      'k-1',
    ]);
    expect(await audit.verify('acme')).toMatchObject({ ok: true, records: 3 });

    const keys = createApiKeyRepository(service.knex);
    const { key, info } = await keys.create({ tenant: 'acme', role: 'admin', name: 'ops' });
    expect(await keys.resolve(key)).toMatchObject({ tenant: 'acme', apiKeyId: info.id });
    await keys.revoke(info.id);
    expect(await keys.resolve(key)).toBeUndefined();

    const idempotency = createIdempotencyRepository(service.knex, createSecretBox(randomBytes(32)), now);
    const answer = {
      tenant: 'acme',
      key: 'idem-1',
      requestHash: 'a'.repeat(64),
      statusCode: 202,
      ttlMs: 1000,
    };
    expect((await idempotency.insertIfAbsent({ ...answer, responseBody: { ok: 1 } })).inserted).toBe(true);
    expect((await idempotency.get('acme', 'idem-1'))?.responseBody).toEqual({ ok: 1 });
    clock = new Date(clock.getTime() + 2000);
    expect(await idempotency.expireOld()).toBe(1);

    const ledger = createOperationsLedger(service.knex, now);
    await ledger.record('op-1', { tenant: 'acme', kind: 'clio.activity.create', outcome: 'started' });
    await ledger.record('op-1', { tenant: 'acme', kind: 'clio.activity.create', outcome: 'succeeded' });
    expect(await ledger.get('op-1')).toMatchObject({ outcome: 'succeeded' });
    expect(await ledger.prune(new Date('2100-01-01T00:00:00.000Z'))).toBe(1);

    // What the service remembers of a tenant's session workflow: recorded, replaced by a newer run, never deleted.
    const sessions = createSessionStore(service.knex, randomBytes(32), now);
    await sessions.saveMaterial('acme', 1, {
      cookies: [{ name: 'sid', value: 'v', domain: '127.0.0.1', path: '/', expires: -1 }],
      csrfToken: 'csrf',
      signedInAt: '2026-01-01T00:00:00.000Z',
    });
    await sessions.noteRunning('acme', 'chain-1');
    await sessions.noteEnded('acme', { chain: 'chain-1', status: 'TERMINATED', reason: 'ended', at: clock });
    expect(await sessions.lastWorkflow('acme')).toMatchObject({
      chain: 'chain-1',
      ended: { status: 'TERMINATED' },
    });
    await sessions.noteRunning('acme', 'chain-2');
    expect(await sessions.lastWorkflow('acme')).toMatchObject({ chain: 'chain-2', ended: undefined });
    await expect(service.knex('portal_session_workflows').delete()).rejects.toMatchObject(
      refused(/permission denied for table portal_session_workflows/),
    );
  });

  test('when records are past retention, then the service role purges them and the chain still verifies', async () => {
    const audit = createAuditStore(service, { now });
    await audit.append(entry('purge', 'old-1'));
    await audit.append(entry('purge', 'old-2'));
    clock = new Date('2034-06-01T00:00:00.000Z');
    await audit.append(entry('purge', 'new-1'));
    // Older records of other tenants go too.
    expect((await audit.purgeExpired()).deleted).toBeGreaterThanOrEqual(2);
    expect((await audit.query({ tenant: 'purge' })).records.map((r) => r.idempotencyKey)).toEqual(['new-1']);
    expect(await audit.verify('purge')).toMatchObject({ ok: true, records: 1 });
    // Inside the window the trigger still refuses, for the service role as for anyone.
    await expect(service.knex('audit_records').where({ tenant: 'purge' }).delete()).rejects.toThrow(
      /removed only by the retention purge/,
    );
  });

  test("when the database's clock runs ahead of the service's, then the purge stops at a record the database wrote inside the window, and verify still passes", async () => {
    const audit = createAuditStore(service, { now });
    const about = (key: string) =>
      ({ ...entry('skew', key), target: { kind: 'api_key', ids: { apiKeyId: key } } }) as AuditAppendInput;
    const cutoff = retentionCutoff(clock, DEFAULT_RETENTION_YEARS).getTime();
    const dated = async (key: string, time: number, recordedAt: number) => {
      clock = new Date(time);
      const { record } = await audit.append(about(key));
      await admin.transaction(async (trx) => {
        await trx.raw('SET LOCAL session_replication_role = replica');
        await trx.raw('UPDATE audit_records SET recorded_at = ? WHERE id = ?', [
          new Date(recordedAt).toISOString(),
          record.id,
        ]);
      });
    };
    const start = clock.getTime();
    await dated('old', Date.UTC(2010, 0, 1), Date.UTC(2010, 0, 1));
    // Dated a moment before the cutoff by the service, written a second after it by the database's clock.
    await dated('edge', cutoff - 1, cutoff + 1_000);
    await dated('new', start, start);
    clock = new Date(start);
    expect((await audit.purgeExpired()).deleted).toBeGreaterThanOrEqual(1);
    expect((await audit.query({ tenant: 'skew' })).records.map((r) => r.idempotencyKey)).toEqual([
      'new',
      'edge',
    ]);
    expect(await audit.verify('skew')).toMatchObject({ ok: true, records: 2 });
  });

  test('when the service role tries to change, truncate or unguard the audit trail or the schema, then PostgreSQL refuses', async () => {
    await createAuditStore(service, { now }).append(entry('guarded', 'g-1'));
    const before = await auditCount();
    const triggers = async () =>
      (
        await admin.raw<{ rows: { tgname: string; tgenabled: string }[] }>(
          `SELECT tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1`,
        )
      ).rows;
    const triggersBefore = await triggers();
    expect(triggersBefore.map((t) => t.tgname)).toEqual(
      expect.arrayContaining([
        'audit_records_no_update',
        'audit_records_no_delete',
        'audit_heads_forward_only',
      ]),
    );
    const run = (sql: string) => service.knex.raw(sql);

    await expect(run(`UPDATE audit_records SET outcome = 'failed'`)).rejects.toMatchObject(
      refused(/permission denied for table audit_records/),
    );
    await expect(run('TRUNCATE audit_records')).rejects.toMatchObject(refused(/permission denied/));
    await expect(run('TRUNCATE audit_chain_heads')).rejects.toMatchObject(refused(/permission denied/));
    await expect(run('TRUNCATE api_keys')).rejects.toMatchObject(refused(/permission denied/));
    await expect(run('DELETE FROM audit_chain_heads')).rejects.toMatchObject(refused(/permission denied/));
    await expect(run('DROP TRIGGER audit_records_no_update ON audit_records')).rejects.toMatchObject(
      refused(/must be owner/),
    );
    await expect(
      run('ALTER TABLE audit_records DISABLE TRIGGER audit_records_no_delete'),
    ).rejects.toMatchObject(refused(/must be owner/));
    await expect(
      run(`CREATE OR REPLACE FUNCTION audit_records_guard_delete() RETURNS trigger AS $$
           BEGIN RETURN OLD; END; $$ LANGUAGE plpgsql`),
    ).rejects.toMatchObject(refused(/permission denied for schema public|must be owner/));
    await expect(run('ALTER TABLE audit_records OWNER TO CURRENT_USER')).rejects.toMatchObject(
      refused(/must be owner/),
    );
    await expect(run('CREATE TABLE scratch (id integer)')).rejects.toMatchObject(
      refused(/permission denied for schema public/),
    );
    await expect(run('DROP TABLE api_keys')).rejects.toMatchObject(refused(/must be owner/));
    await expect(run('DROP TABLE audit_records')).rejects.toMatchObject(refused(/must be owner/));
    await expect(run(`DELETE FROM knex_migrations WHERE name = '009-audit-guards'`)).rejects.toMatchObject(
      refused(/permission denied/),
    );
    await expect(service.knex.raw('SET ROLE ??', [OWNER])).rejects.toMatchObject(
      refused(/permission denied/),
    );

    expect(await auditCount()).toBe(before);
    expect(await triggers()).toEqual(triggersBefore);
    expect(await createAuditStore(service, { now }).verify('guarded')).toMatchObject({
      ok: true,
      records: 1,
    });
  });

  test('when the service role shadows the audit tables with temporary tables of the same name, then the guards still read the real ones', async () => {
    // Every role may create temporary tables (PUBLIC's TEMPORARY on the database), and pg_temp comes first in
    // the search path of an unqualified name: a guard that looked its tables up there would read the forgery.
    const audit = createAuditStore(service, { now });
    for (const key of ['s-1', 's-2', 's-3']) await audit.append(entry('shadow', key));
    const second = (await admin('audit_records').where({ tenant: 'shadow', seq: 2 }).first()) as {
      hash: string;
    };
    const before = await auditCount();

    // A chain head whose anchor lies past every record: the delete guard would let them all go.
    await expect(
      service.knex.transaction(async (trx) => {
        await trx.raw(
          'CREATE TEMP TABLE audit_chain_heads (tenant varchar(64), anchor_seq integer) ON COMMIT DROP',
        );
        await trx.raw(`INSERT INTO audit_chain_heads VALUES ('shadow', 1000000)`);
        await trx.raw(`DELETE FROM public.audit_records WHERE tenant = 'shadow'`);
      }),
    ).rejects.toThrow(/removed only by the retention purge/);

    // A record 2 with a time long before the retention window: the anchor would move past records 1 and 2 with a
    // forged time, and audit:verify would take their removal for the purge's.
    const forgedTime = '2000-01-01T00:00:00.000Z';
    await expect(
      service.knex.transaction(async (trx) => {
        await trx.raw(
          'CREATE TEMP TABLE audit_records (tenant varchar(64), seq integer, hash varchar(64), time varchar(30)) ON COMMIT DROP',
        );
        await trx.raw(`INSERT INTO audit_records VALUES ('shadow', 2, ?, ?)`, [second.hash, forgedTime]);
        await trx.raw(
          `UPDATE public.audit_chain_heads SET anchor_seq = 2, anchor_hash = ?, anchor_time = ? WHERE tenant = 'shadow'`,
          [second.hash, forgedTime],
        );
      }),
    ).rejects.toThrow(/an audit chain anchor names the last purged record/);

    expect(await auditCount()).toBe(before);
    expect(await audit.verify('shadow')).toMatchObject({ ok: true, records: 3 });
  });

  test('when the service back-dates a record and anchors the chain at it, then the database keeps when it was written and verify tells the removal from the purge', async () => {
    const audit = createAuditStore(service, { now });
    for (const key of ['b-1', 'b-2']) await audit.append(entry('backdated', key));
    // The service's clock is its own: a record dated long before the retention window, written now.
    clock = new Date('2010-01-01T00:00:00.000Z');
    const forged = (await audit.append(entry('backdated', 'b-3'))).record;
    clock = new Date('2026-01-01T00:00:00.000Z');
    const stored = (await admin('audit_records').where({ id: forged.id }).first()) as {
      time: string;
      recorded_at: Date;
    };
    expect(stored.time).toBe('2010-01-01T00:00:00.000Z');
    expect(Date.now() - stored.recorded_at.getTime()).toBeLessThan(60_000);

    // The anchor may not name another recorded_at than its record's, and the service cannot change that one.
    await expect(
      service.knex.raw(
        `UPDATE audit_chain_heads SET anchor_seq = ?, anchor_hash = ?, anchor_time = ?, anchor_recorded_at = ?
          WHERE tenant = 'backdated'`,
        [forged.seq, forged.hash, forged.time, forged.time],
      ),
    ).rejects.toThrow(/an audit chain anchor names the last purged record/);
    await expect(
      service.knex.raw(`UPDATE audit_records SET recorded_at = time::timestamptz WHERE id = ?`, [forged.id]),
    ).rejects.toMatchObject(refused(/permission denied/));

    // Anchored as the purge would anchor it, and everything before it removed: the triggers allow it ...
    await service.knex.raw(
      `UPDATE audit_chain_heads SET anchor_seq = ?, anchor_hash = ?, anchor_time = ?,
         anchor_recorded_at = (SELECT recorded_at FROM audit_records WHERE tenant = 'backdated' AND seq = ?)
        WHERE tenant = 'backdated'`,
      [forged.seq, forged.hash, forged.time, forged.seq],
    );
    await service.knex.raw(`DELETE FROM audit_records WHERE tenant = 'backdated'`);
    // ... and verification tells it from the purge by the database's clock.
    const result = await audit.verify('backdated');
    expect(result.ok).toBe(false);
    expect(result.broken[0]!.reason).toMatch(
      /removed, the last of them written at .* \(the database's clock\) though dated 2010-01-01T00:00:00.000Z: inside the retention window/,
    );
  });

  test('when the service also sets its own session defaults (DateStyle, TimeZone), then verify still reads when the anchored record was written', async () => {
    const audit = createAuditStore(service, { now });
    await audit.append(entry('datestyle', 'd-1'));
    clock = new Date('2010-01-01T00:00:00.000Z');
    const forged = (await audit.append(entry('datestyle', 'd-2'))).record;
    clock = new Date('2026-01-01T00:00:00.000Z');
    await service.knex.raw(
      `UPDATE audit_chain_heads SET anchor_seq = ?, anchor_hash = ?, anchor_time = ?,
         anchor_recorded_at = (SELECT recorded_at FROM audit_records WHERE tenant = 'datestyle' AND seq = ?)
        WHERE tenant = 'datestyle'`,
      [forged.seq, forged.hash, forged.time, forged.seq],
    );
    await service.knex.raw(`DELETE FROM audit_records WHERE tenant = 'datestyle'`);
    // Any role may set its own defaults, and audit:verify connects as the service role: a timestamptz then arrives
    // as text no Date parser reads ('26/11/2026 09:33:14.212 UTC'), which read as null, an anchor without a stamp.
    try {
      for (const [setting, value] of [
        ['DateStyle', 'SQL, DMY'],
        ['DateStyle', 'Postgres, MDY'],
        ['TimeZone', 'Asia/Kolkata'],
      ] as const) {
        await service.knex.raw(`ALTER ROLE CURRENT_USER SET ${setting} = '${value}'`);
        const verifier = await createDatabase(serviceUrl, { migrate: false });
        try {
          const result = await createAuditStore(verifier, { now }).verify('datestyle');
          expect({ setting, value, ok: result.ok }).toEqual({ setting, value, ok: false });
          expect(result.broken[0]!.reason).toMatch(
            /removed, the last of them written at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z \(the database's clock\) though dated 2010-01-01T00:00:00.000Z: inside the retention window/,
          );
        } finally {
          await verifier.close();
        }
      }
    } finally {
      await admin.raw('ALTER ROLE ?? RESET ALL', [SERVICE]);
    }
  });

  test('when migrate runs again (every deploy), then nothing is migrated, rights granted by hand beyond the service role are revoked, and the service keeps working', async () => {
    await admin.raw('GRANT TRUNCATE, UPDATE, TRIGGER ON audit_records TO ??', [SERVICE]);
    await admin.raw('GRANT ALL ON ALL TABLES IN SCHEMA public TO PUBLIC');
    const again = await migrateDatabase(ownerUrl, { serviceRole: SERVICE });
    expect(again).toEqual({ applied: [], grants: first.grants });
    expect(await migrateDatabase(ownerUrl, { serviceRole: SERVICE })).toEqual(again);

    await expect(service.knex.raw('TRUNCATE audit_records')).rejects.toMatchObject(
      refused(/permission denied/),
    );
    await expect(service.knex.raw(`UPDATE audit_records SET outcome = 'x'`)).rejects.toMatchObject(
      refused(/permission denied/),
    );
    expect((await createAuditStore(service, { now }).append(entry('again', 'a-1'))).created).toBe(true);
  });

  test('when an extension a superuser installed lives in the schema (as hosted PostgreSQL services do), then migrate leaves its objects alone and still grants', async () => {
    await admin.raw('CREATE EXTENSION pg_stat_statements SCHEMA public');
    try {
      const again = await migrateDatabase(ownerUrl, { serviceRole: SERVICE });
      expect(again).toEqual({ applied: [], grants: first.grants });
      expect(Object.keys(again.grants!.tables)).not.toContain('pg_stat_statements');
    } finally {
      await admin.raw('DROP EXTENSION pg_stat_statements');
    }
    // Not a way around the check: a view the superuser made by hand is still refused.
    await admin.raw('CREATE VIEW stray AS SELECT 1 AS one');
    try {
      await expect(migrateDatabase(ownerUrl, { serviceRole: SERVICE })).rejects.toThrow(/view stray/);
    } finally {
      await admin.raw('DROP VIEW stray');
    }
  });

  test('when the service role could still act as an owner or holds more through another role, then migrate refuses and grants nothing', async () => {
    const attempt = (role: string) => migrateDatabase(ownerUrl, { serviceRole: role });
    await expect(attempt(`co_nobody_${id}`)).rejects.toThrow(/co_nobody_\w+ does not exist/);
    await admin.raw('CREATE ROLE ?? SUPERUSER NOLOGIN', [SUPER]);
    await expect(attempt(SUPER)).rejects.toThrow(new RegExp(`${SUPER} is a superuser`));
    await expect(attempt(OWNER)).rejects.toThrow(/DATABASE_SERVICE_ROLE: is the role migrating/);

    // Rights through membership in another role: no REVOKE on the service role removes them.
    await admin.raw('CREATE ROLE ?? NOLOGIN', [EXTRA]);
    await admin.raw('GRANT TRUNCATE ON audit_records TO ??', [EXTRA]);
    await admin.raw('GRANT ?? TO ??', [EXTRA, SERVICE]);
    await expect(attempt(SERVICE)).rejects.toThrow(/still holds TRUNCATE on audit_records/);
    await admin.raw('REVOKE ?? FROM ??', [EXTRA, SERVICE]);

    await admin.raw('GRANT ?? TO ??', [OWNER, SERVICE]);
    await expect(attempt(SERVICE)).rejects.toThrow(new RegExp(`is a member of ${OWNER}`));
    await admin.raw('REVOKE ?? FROM ??', [OWNER, SERVICE]);

    // The old single-role setup: the service role owning a table (it could drop its triggers).
    await admin.raw('CREATE TABLE stray (id integer)');
    await admin.raw('ALTER TABLE stray OWNER TO ??', [SERVICE]);
    await expect(attempt(SERVICE)).rejects.toThrow(new RegExp(`table stray \\(owner ${SERVICE}\\)`));
    await admin.raw('DROP TABLE stray');

    // Every refusal rolled back: the rights are the earlier ones.
    await expect(service.knex.raw('TRUNCATE audit_records')).rejects.toMatchObject(
      refused(/permission denied/),
    );
    expect(await migrateDatabase(ownerUrl, { serviceRole: SERVICE })).toEqual({
      applied: [],
      grants: first.grants,
    });
  });

  test('when the role name is malformed, then it is a configuration error and nothing is run', async () => {
    for (const bad of [
      'svc"; DROP TABLE audit_records; --',
      'Service',
      '1service',
      'pg_write_all_data',
      's'.repeat(64),
      '',
    ]) {
      await expect(migrateDatabase(ownerUrl, { serviceRole: bad })).rejects.toThrow(ConfigError);
      // Refused before any connection: a server that is not there is never asked.
      await expect(
        migrateDatabase('postgres://nobody@127.0.0.1:1/none', { serviceRole: bad }),
      ).rejects.toThrow(/^Invalid configuration: DATABASE_SERVICE_ROLE: /);
    }
    expect(() => loadSettings(['DATABASE_SERVICE_ROLE'], { DATABASE_SERVICE_ROLE: 'svc; DROP' })).toThrow(
      /Invalid configuration: DATABASE_SERVICE_ROLE: must be a PostgreSQL role name/,
    );
    expect(loadSettings(['DATABASE_SERVICE_ROLE'], { DATABASE_SERVICE_ROLE: 'clio_orchestrator' })).toEqual({
      DATABASE_SERVICE_ROLE: 'clio_orchestrator',
    });
    await expect(migrateDatabase('sqlite::memory:', { serviceRole: 'svc' })).rejects.toThrow(
      /DATABASE_SERVICE_ROLE: applies to PostgreSQL only/,
    );
    expect(await admin.schema.hasTable('audit_records')).toBe(true);
  });

  test('when DATABASE_MIGRATE=false and migrations are pending, then createDatabase refuses naming the migrate command and changes nothing; once migrated it starts', async () => {
    await admin.raw('CREATE DATABASE ?? OWNER ??', [PENDING_DB, OWNER]);
    // A password in the URL (the trusting test server ignores it) must not reach the message.
    const url = withDatabase(asRole(pg.url, OWNER, 'pw-not-to-print'), PENDING_DB);
    const owner = connect(url);
    const snapshot = async () => ({
      tables: (
        await owner.raw<{ rows: unknown[] }>(
          `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
        )
      ).rows,
      indexes: (
        await owner.raw<{ rows: unknown[] }>(
          `SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`,
        )
      ).rows,
    });
    try {
      const empty = await snapshot();
      const all = await migrationSource.getMigrations([]);
      const last = all[all.length - 1]!.name;
      await expect(createDatabase(url, { migrate: false })).rejects.toThrow(
        new RegExp(
          `not current: ${all.length} migration\\(s\\) pending \\(001-audit-records, .*DATABASE_MIGRATE=false.*npm run migrate`,
        ),
      );
      expect(await snapshot()).toEqual(empty);

      // An older version's schema: every migration but the last.
      for (let i = 0; i < all.length - 1; i++) await owner.migrate.up({ migrationSource });
      const older = await snapshot();
      const migrations = async () =>
        (await owner('knex_migrations').orderBy('id').select('name', 'batch')) as unknown[];
      const recorded = await migrations();
      const lock = await owner('knex_migrations_lock').select();

      let error: unknown;
      try {
        await createDatabase(url, { migrate: false });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SchemaNotCurrentError);
      const message = (error as Error).message;
      expect(message).toContain(`1 migration(s) pending (${last})`);
      expect(message).toContain('npm run migrate');
      expect(message).toContain('node dist/scripts/migrate.js');
      expect(message).not.toContain('pw-not-to-print');

      // The setting as the processes read it from their configuration, and pass on.
      const { DATABASE_MIGRATE } = loadSettings(['DATABASE_MIGRATE'], { DATABASE_MIGRATE: 'false' });
      await expect(createDatabase(url, { migrate: DATABASE_MIGRATE })).rejects.toThrow(last);
      // A process of the service role left migrating (DATABASE_MIGRATE unset) may read the schema's state but
      // not change it: it is told where migrations run.
      await owner.raw('GRANT SELECT ON knex_migrations TO ??', [SERVICE]);
      await expect(
        createDatabase(withDatabase(asRole(pg.url, SERVICE, 'pw-not-to-print'), PENDING_DB), {
          migrate: true,
        }),
      ).rejects.toThrow(/may not change it.*npm run migrate.*DATABASE_MIGRATE=false/);

      expect(await snapshot()).toEqual(older);
      expect(await migrations()).toEqual(recorded);
      expect(await owner('knex_migrations_lock').select()).toEqual(lock);

      expect((await migrateDatabase(url)).applied).toEqual([last]);
      const current = await createDatabase(url, { migrate: false });
      await current.close();
    } finally {
      await owner.destroy();
    }
  });
});

/**
 * A throwaway cluster of its own (the installation's role and database names are fixed, and roles are
 * cluster-wide), and before each test a fresh installation: the image creates POSTGRES_DB, owned by the superuser,
 * before any init script runs.
 */
function freshInstallation(): { admin: Knex; serverUrl: string } {
  const cluster = {} as { admin: Knex; serverUrl: string };
  let pg: PgTestDatabase | undefined;
  beforeAll(async () => {
    pg = await acquirePostgres({ ownCluster: true });
    cluster.serverUrl = withDatabase(pg.url, 'postgres');
    cluster.admin = connect(cluster.serverUrl);
  });
  afterAll(async () => {
    await cluster.admin?.destroy();
    await pg?.release();
  });
  beforeEach(async () => {
    await cluster.admin.raw('DROP DATABASE IF EXISTS clio_orchestrator WITH (FORCE)');
    await cluster.admin.raw('DROP ROLE IF EXISTS clio_orchestrator');
    await cluster.admin.raw('DROP ROLE IF EXISTS clio_orchestrator_owner');
    await cluster.admin.raw('CREATE DATABASE clio_orchestrator');
  });
  return cluster;
}

/**
 * The init script of docker-compose.yml (configs: service-db-role), run with psql as the postgres image runs it:
 * as the superuser, in the database POSTGRES_DB created. Its role and database names are fixed and roles are
 * cluster-wide, so it runs in a throwaway cluster of its own, even where TEST_DATABASE_URL names a shared server.
 */
describe('docker-compose init script: the owner and service roles', () => {
  const cluster = freshInstallation();
  const OWNER_PASSWORD = `owner-${randomBytes(8).toString('hex')}`;
  const SERVICE_PASSWORD = `service-${randomBytes(8).toString('hex')}`;

  const script = (): string => {
    const compose = parseYaml(readFileSync(join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8')) as {
      configs: Record<string, { content: string }>;
      services: Record<string, { environment: Record<string, string> }>;
    };
    const content = compose.configs['service-db-role']!.content;
    // Compose interpolates the file: `$$` is a literal `$`, and there is nothing else to interpolate.
    expect(content.replaceAll('$$', '')).not.toMatch(/\$/);
    return content.replaceAll('$$', '$');
  };
  const runScript = async (): Promise<void> => {
    const { hostname, port } = new URL(cluster.serverUrl);
    await promisify(execFile)('bash', ['-c', script()], {
      env: {
        PATH: process.env.PATH,
        PGHOST: hostname,
        PGPORT: port,
        POSTGRES_USER: 'postgres',
        SERVICE_DB_OWNER_PASSWORD: OWNER_PASSWORD,
        SERVICE_DB_PASSWORD: SERVICE_PASSWORD,
      },
    });
  };
  const url = (role: string, password: string) =>
    withDatabase(asRole(cluster.serverUrl, role, password), 'clio_orchestrator');
  const ownerUrl = () => url('clio_orchestrator_owner', OWNER_PASSWORD);
  const serviceUrl = () => url('clio_orchestrator', SERVICE_PASSWORD);

  /** What docker-compose's migrate service runs, then what the worker and API can and cannot do. */
  async function migrateAndCheckService(): Promise<void> {
    await migrateDatabase(ownerUrl(), { serviceRole: 'clio_orchestrator' });
    const service = await createDatabase(serviceUrl(), { migrate: false });
    try {
      expect((await createAuditStore(service).append(entry('firm', `after-${Date.now()}`))).created).toBe(
        true,
      );
      expect(await createAuditStore(service).verify()).toMatchObject({ ok: true });
      await expect(service.knex.raw('TRUNCATE audit_records')).rejects.toMatchObject(
        refused(/permission denied/),
      );
      await expect(
        service.knex.raw('DROP TRIGGER audit_records_no_update ON audit_records'),
      ).rejects.toMatchObject(refused(/must be owner/));
      await expect(service.knex.raw('CREATE TABLE scratch (id integer)')).rejects.toMatchObject(
        refused(/permission denied/),
      );
    } finally {
      await service.close();
    }
  }

  test('when the volume is new, then both roles log in with their passwords, the owner owns the database, and the service role only gets data rights', async () => {
    await runScript();
    const { rows } = await cluster.admin.raw<{
      rows: {
        rolname: string;
        rolsuper: boolean;
        rolcreaterole: boolean;
        rolcreatedb: boolean;
        rolcanlogin: boolean;
        has_password: boolean;
      }[];
    }>(
      `SELECT rolname, rolsuper, rolcreaterole, rolcreatedb, rolcanlogin, rolpassword IS NOT NULL AS has_password
         FROM pg_authid WHERE rolname LIKE 'clio_orchestrator%' ORDER BY 1`,
    );
    const plain = {
      rolsuper: false,
      rolcreaterole: false,
      rolcreatedb: false,
      rolcanlogin: true,
      has_password: true,
    };
    expect(rows).toEqual([
      { rolname: 'clio_orchestrator', ...plain },
      { rolname: 'clio_orchestrator_owner', ...plain },
    ]);
    const dbOwner = await cluster.admin.raw<{ rows: { owner: string }[] }>(
      `SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = 'clio_orchestrator'`,
    );
    expect(dbOwner.rows[0]?.owner).toBe('clio_orchestrator_owner');
    await migrateAndCheckService();
  });

  test('when the volume holds the old setup (clio_orchestrator owning everything), then the script run again hands it all to the owner and the service role loses DDL', async () => {
    // What the earlier script left: clio_orchestrator owned the database, and the service migrated as it.
    await cluster.admin.raw('CREATE ROLE clio_orchestrator LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE');
    await cluster.admin.raw('ALTER DATABASE clio_orchestrator OWNER TO clio_orchestrator');
    const old = await createDatabase(url('clio_orchestrator', ''));
    await createAuditStore(old).append(entry('firm', 'before-upgrade'));
    // The gap being closed: the owner may empty the audit trail (rolled back here).
    const trx = await old.knex.transaction();
    await trx.raw('TRUNCATE audit_records');
    await trx.rollback();
    await old.close();

    await runScript();
    await runScript();
    const inside = connect(url('clio_orchestrator_owner', OWNER_PASSWORD));
    try {
      const { rows } = await inside.raw<{ rows: { owner: string }[] }>(
        `SELECT DISTINCT owner FROM (
           SELECT tableowner::text AS owner FROM pg_tables WHERE schemaname = 'public'
           UNION ALL SELECT sequenceowner::text FROM pg_sequences WHERE schemaname = 'public'
           UNION ALL SELECT pg_get_userbyid(proowner)::text FROM pg_proc WHERE pronamespace = 'public'::regnamespace) o`,
      );
      expect(rows).toEqual([{ owner: 'clio_orchestrator_owner' }]);
    } finally {
      await inside.destroy();
    }
    await migrateAndCheckService();
    const service = await createDatabase(serviceUrl(), { migrate: false });
    try {
      const records = (await createAuditStore(service).query({ tenant: 'firm' })).records;
      expect(records.map((r) => r.idempotencyKey)).toContain('before-upgrade');
    } finally {
      await service.close();
    }
  });
});

/**
 * README, Production: the SQL an installation on a PostgreSQL server of its own runs as a superuser to move from the
 * single role (clio_orchestrator owning the database and migrating) to the owner and service roles. The schema
 * `public` of PostgreSQL 14 and earlier belongs to the bootstrap superuser, with CREATE granted to PUBLIC; from 15
 * on it belongs to pg_database_owner. Fixed role names: a cluster of its own.
 */
describe('README: the SQL that splits the roles on a PostgreSQL server of your own', () => {
  const cluster = freshInstallation();
  const OWNER_PASSWORD = `owner-${randomBytes(8).toString('hex')}`;

  const readmeSql = (): string => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const sql = /On a PostgreSQL server of your own[\s\S]*?```sql\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(sql).toBeDefined();
    return sql!.replace("PASSWORD '…'", `PASSWORD '${OWNER_PASSWORD}'`);
  };

  test('when PUBLIC may create in schema public (before PostgreSQL 15), then migrate refuses, and what it says to run leaves the owner able to migrate', async () => {
    const db = connect(withDatabase(cluster.serverUrl, 'clio_orchestrator'));
    const ownerUrl = withDatabase(
      asRole(cluster.serverUrl, 'clio_orchestrator_owner', OWNER_PASSWORD),
      'clio_orchestrator',
    );
    try {
      await db.raw('ALTER SCHEMA public OWNER TO postgres');
      await db.raw('GRANT CREATE, USAGE ON SCHEMA public TO PUBLIC');
      await db.raw(`CREATE ROLE clio_orchestrator_owner LOGIN PASSWORD '${OWNER_PASSWORD}'`);
      await db.raw('CREATE ROLE clio_orchestrator LOGIN');
      await db.raw('ALTER DATABASE clio_orchestrator OWNER TO clio_orchestrator_owner');

      let message = '';
      await migrateDatabase(ownerUrl, { serviceRole: 'clio_orchestrator' }).catch((e: Error) => {
        message = e.message;
      });
      expect(message).toContain('still holds CREATE on schema public');
      const sql = /as a superuser: (.*?) \(before PostgreSQL 15/.exec(message)?.[1];
      expect(sql).toBeDefined();
      await db.raw(sql!);

      expect((await migrateDatabase(ownerUrl, { serviceRole: 'clio_orchestrator' })).applied).toEqual([]);
      // A later version's migration creates a table: the owner still may.
      const owner = connect(ownerUrl);
      try {
        await owner.raw('CREATE TABLE later_migration (id integer)');
        await owner.raw('DROP TABLE later_migration');
      } finally {
        await owner.destroy();
      }
    } finally {
      await db.destroy();
    }
  });

  test.each([
    { layout: 'PostgreSQL 15 and later', before15: false },
    { layout: 'PostgreSQL 14 and earlier', before15: true },
  ])(
    'when an older version ran as the single role on the $layout schema layout, then after the SQL the owner runs the pending migrations and the service role gets data rights only',
    async ({ before15 }) => {
      const all = (await migrationSource.getMigrations([])).map((m) => m.name);
      const older = all.indexOf('007-webhooks');
      const db = connect(withDatabase(cluster.serverUrl, 'clio_orchestrator'));
      try {
        if (before15) {
          await db.raw('ALTER SCHEMA public OWNER TO postgres');
          await db.raw('GRANT CREATE, USAGE ON SCHEMA public TO PUBLIC');
        }
        // The single-role setup of an older version: clio_orchestrator owned the database and migrated, up to
        // before the webhooks (a later migration creates tables, functions and triggers).
        await db.raw('CREATE ROLE clio_orchestrator LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE');
        await db.raw('ALTER DATABASE clio_orchestrator OWNER TO clio_orchestrator');
        const old = connect(
          withDatabase(asRole(cluster.serverUrl, 'clio_orchestrator'), 'clio_orchestrator'),
        );
        try {
          for (let i = 0; i < older; i++) await old.migrate.up({ migrationSource });
        } finally {
          await old.destroy();
        }

        await db.raw(readmeSql());
      } finally {
        await db.destroy();
      }

      const ownerUrl = withDatabase(
        asRole(cluster.serverUrl, 'clio_orchestrator_owner', OWNER_PASSWORD),
        'clio_orchestrator',
      );
      const result = await migrateDatabase(ownerUrl, { serviceRole: 'clio_orchestrator' });
      expect(result.applied).toEqual(all.slice(older));
      const service = await createDatabase(
        withDatabase(asRole(cluster.serverUrl, 'clio_orchestrator'), 'clio_orchestrator'),
        { migrate: false },
      );
      try {
        expect((await createAuditStore(service).append(entry('firm', 'after-split'))).created).toBe(true);
        await expect(service.knex.raw('CREATE TABLE scratch (id integer)')).rejects.toMatchObject(
          refused(/permission denied for schema public/),
        );
        await expect(service.knex.raw('TRUNCATE audit_records')).rejects.toMatchObject(
          refused(/permission denied/),
        );
      } finally {
        await service.close();
      }
    },
  );
});
