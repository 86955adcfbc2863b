import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { parseDatabaseUrl, type DatabaseTarget } from './database-url';
import { migrationSource } from './migrations';

export type Dialect = DatabaseTarget['dialect'];

export interface Database {
  readonly knex: Knex;
  readonly dialect: Dialect;
  /** Destroys the connection pool; the process (and jest) can then exit. */
  close(): Promise<void>;
}

export interface CreateDatabaseOptions {
  /** Largest PostgreSQL pool (default 10). SQLite always uses one connection, see below. */
  maxConnections?: number;
  /**
   * True: bring the schema up to date. False: only check that it is current, and refuse to open while migrations
   * are pending (the process connects with data rights only; the migrate command migrates). Default true; the
   * service's processes pass DATABASE_MIGRATE.
   */
  migrate?: boolean;
}

/** The database holds migrations this version does not know, or lacks some it needs and may not run them. */
export class SchemaNotCurrentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaNotCurrentError';
  }
}

/**
 * Opens the service's own database (`sqlite:<path>` or `postgres://...`) and brings its schema up to date, or
 * with `migrate: false` (DATABASE_MIGRATE=false) checks that it is. Every process (API, workers, scripts) may
 * migrate at start: concurrent migrators wait for each other.
 */
export async function createDatabase(
  databaseUrl: string,
  options: CreateDatabaseOptions = {},
): Promise<Database> {
  const migrate = options.migrate ?? true;
  const target = parseDatabaseUrl(databaseUrl);
  if (
    !migrate &&
    target.dialect === 'sqlite' &&
    target.filename !== ':memory:' &&
    !existsSync(target.filename)
  ) {
    // Opening would create an empty file, which is half of a store.
    throw new SchemaNotCurrentError(
      `there is no store at ${target.filename}, and this process does not create one (DATABASE_MIGRATE=false): ` +
        'run the migrate command first (npm run migrate, or node dist/scripts/migrate.js in the image)',
    );
  }
  const db = await openDatabase(databaseUrl, options);
  try {
    if (migrate) await migrateToLatest(db);
    else await assertSchemaCurrent(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

/** Opens the database without looking at its schema (the migrate command, and createDatabase). */
export async function openDatabase(
  databaseUrl: string,
  options: Pick<CreateDatabaseOptions, 'maxConnections'> = {},
): Promise<Database> {
  const target = parseDatabaseUrl(databaseUrl);
  const knex =
    target.dialect === 'sqlite' ? await openSqlite(target.filename) : openPostgres(target, options);
  let closed = false;
  return {
    knex,
    dialect: target.dialect,
    close: async () => {
      if (closed) return;
      closed = true;
      await knex.destroy();
    },
  };
}

export interface SchemaStatus {
  /** Migrations of this version the database has not run, in order. */
  pending: string[];
  /** Migrations the database has run that this version does not know (a newer version migrated it). */
  unknown: string[];
}

/** Reads (never writes) which migrations the database has run: a role with data rights only can answer it. */
export async function schemaStatus(db: Database): Promise<SchemaStatus> {
  const { knex, dialect } = db;
  const known = (await migrationSource.getMigrations([])).map((m) => migrationSource.getMigrationName(m));
  // PostgreSQL's information_schema (knex's hasTable) hides a table the role has no rights on: ask the catalog.
  const present =
    dialect === 'postgres'
      ? ((
          await knex.raw<{ rows: { present: boolean }[] }>(`SELECT to_regclass(?) IS NOT NULL AS present`, [
            MIGRATIONS_TABLE,
          ])
        ).rows[0]?.present ?? false)
      : await knex.schema.hasTable(MIGRATIONS_TABLE);
  const done = present
    ? new Set((await knex<{ name: string }>(MIGRATIONS_TABLE).select('name')).map((r) => r.name))
    : new Set<string>();
  return {
    pending: known.filter((name) => !done.has(name)),
    unknown: [...done].filter((name) => !known.includes(name)),
  };
}

/** knex's record of the migrations run (its default name). */
const MIGRATIONS_TABLE = 'knex_migrations';

/**
 * Runs the pending migrations and returns their names. A current schema is answered from a read, without the
 * lock or knex's lock row (which a role with data rights only may not write).
 */
export async function migrateToLatest(db: Database): Promise<string[]> {
  const { pending, unknown } = await schemaStatus(db);
  if (pending.length === 0 && unknown.length === 0) return [];
  try {
    // knex refuses a database holding migrations unknown to it ("migration directory is corrupt").
    return await withMigrationLock(db, () => migrateWithRetry(db.knex));
  } catch (error) {
    // insufficient_privilege; knex's lock errors keep only the message.
    const message = error instanceof Error ? error.message : String(error);
    const denied =
      (error as { code?: unknown }).code === '42501' || /permission denied|must be owner/.test(message);
    if (!denied) throw error;
    throw new SchemaNotCurrentError(
      `could not migrate the store's schema (${message}): this role may not change it. ` +
        "Migrations run as the database's owner (npm run migrate; in the image node dist/scripts/migrate.js); " +
        'a process connecting with data rights only needs DATABASE_MIGRATE=false',
    );
  }
}

/** DATABASE_MIGRATE=false: the schema must already be current; nothing is written either way. */
async function assertSchemaCurrent(db: Database): Promise<void> {
  const { pending, unknown } = await schemaStatus(db);
  if (unknown.length > 0) {
    throw new SchemaNotCurrentError(
      `the store's schema is newer than this version of the service (migrations it does not know: ${unknown.join(', ')})`,
    );
  }
  if (pending.length > 0) {
    throw new SchemaNotCurrentError(
      `the store's schema is not current: ${pending.length} migration(s) pending (${pending.join(', ')}), and ` +
        "this process does not migrate (DATABASE_MIGRATE=false). Run the migrate command as the database's owner " +
        'first: npm run migrate, or node dist/scripts/migrate.js in the image (docker compose: the migrate service)',
    );
  }
}

/**
 * Runs fn while no other process migrates this database: on PostgreSQL under the advisory lock below; SQLite
 * migrators take turns on knex's lock row and the write lock (see migrateWithRetry).
 */
export async function withMigrationLock<T>(db: Database, fn: () => Promise<T>): Promise<T> {
  return db.dialect === 'postgres' ? whileHoldingMigrationLock(db.knex, fn) : fn();
}

async function openSqlite(filename: string): Promise<Knex> {
  const inMemory = filename === ':memory:';
  if (!inMemory) await mkdir(dirname(resolve(filename)), { recursive: true });
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    // One connection per process: better-sqlite3 is synchronous, so a second in-process connection waiting on
    // the busy timeout would block the event loop while the first one holds the write lock (a deadlock).
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: SqliteConnection, done: (err: Error | null, conn: SqliteConnection) => void) => {
        try {
          // WAL lets readers in other processes (API, workers, scripts) read while one process writes;
          // busy_timeout makes a writer from another process wait instead of failing at once.
          if (!inMemory) conn.pragma('journal_mode = WAL');
          conn.pragma('busy_timeout = 10000');
          conn.pragma('foreign_keys = ON');
          done(null, conn);
        } catch (error) {
          done(error as Error, conn);
        }
      },
    },
  });
}

interface SqliteConnection {
  pragma(source: string): unknown;
}

function openPostgres(
  target: Extract<DatabaseTarget, { dialect: 'postgres' }>,
  options: CreateDatabaseOptions,
): Knex {
  return knexFactory({
    client: 'pg',
    connection: target.connectionString,
    // knex prints a failed connection's stack to stdout ("Acquire connection error"), into the JSON log and before
    // the one line an entry point prints; the same error reaches the caller, which reports it.
    log: {
      warn: (message: unknown) => {
        if (!(typeof message === 'string' && message.startsWith('Acquire connection error')))
          console.warn(message);
      },
    },
    // At least two: while migrating, one connection holds the migration lock and another runs the migrations.
    pool: { min: 0, max: Math.max(2, options.maxConnections ?? 10) },
  });
}

/**
 * PostgreSQL: processes migrating one database take turns on an advisory lock. knex's own lock table is not safe
 * when processes create it together (knex/knex#3538: its lock row can stay taken, and every process then fails
 * with "Migration table is already locked"); a fresh database opened by several workers at once is exactly that.
 */
async function whileHoldingMigrationLock<T>(knex: Knex, fn: () => Promise<T>): Promise<T> {
  // A session lock lives on one connection: taken and released on the same one, while migrations use others.
  const client = knex.client as {
    acquireConnection(): Promise<PgConnection>;
    releaseConnection(connection: PgConnection): Promise<void>;
  };
  const connection = await client.acquireConnection();
  try {
    await connection.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_ID})`);
    try {
      return await fn();
    } finally {
      await connection.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_ID})`);
    }
  } finally {
    await client.releaseConnection(connection);
  }
}

interface PgConnection {
  query(sql: string): Promise<unknown>;
}

/** Any fixed 64-bit number; this one is "clio-orc" in ASCII, so no other application's lock is likely to match. */
const MIGRATION_LOCK_ID = '7164217033464181347';

/** Two processes starting together both migrate; knex's lock makes one fail fast, so it waits and retries. */
async function migrateWithRetry(knex: Knex): Promise<string[]> {
  const deadline = Date.now() + 30_000;
  for (let attempt = 1; ; attempt++) {
    try {
      const [, applied] = (await knex.migrate.latest({ migrationSource })) as [number, string[]];
      return applied;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const contended = /already locked|already exists|SQLITE_BUSY|duplicate key/i.test(message);
      if (!contended || Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, Math.min(100 * attempt, 1000)));
    }
  }
}
