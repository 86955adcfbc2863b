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
}

/**
 * Opens the service's own database (`sqlite:<path>` or `postgres://...`) and brings its schema up to date.
 * Every process (API, workers, scripts) may call this at start: concurrent migrators wait for each other.
 */
export async function createDatabase(
  databaseUrl: string,
  options: CreateDatabaseOptions = {},
): Promise<Database> {
  const target = parseDatabaseUrl(databaseUrl);
  const knex =
    target.dialect === 'sqlite' ? await openSqlite(target.filename) : openPostgres(target, options);
  try {
    if (target.dialect === 'postgres') await whileHoldingMigrationLock(knex, () => migrateWithRetry(knex));
    else await migrateWithRetry(knex);
  } catch (error) {
    await knex.destroy();
    throw error;
  }
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
    // At least two: while migrating, one connection holds the migration lock and another runs the migrations.
    pool: { min: 0, max: Math.max(2, options.maxConnections ?? 10) },
  });
}

/**
 * PostgreSQL: processes migrating one database take turns on an advisory lock. knex's own lock table is not safe
 * when processes create it together (knex/knex#3538: its lock row can stay taken, and every process then fails
 * with "Migration table is already locked"); a fresh database opened by several workers at once is exactly that.
 */
async function whileHoldingMigrationLock(knex: Knex, fn: () => Promise<void>): Promise<void> {
  // A session lock lives on one connection: taken and released on the same one, while migrations use others.
  const client = knex.client as {
    acquireConnection(): Promise<PgConnection>;
    releaseConnection(connection: PgConnection): Promise<void>;
  };
  const connection = await client.acquireConnection();
  try {
    await connection.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_ID})`);
    try {
      await fn();
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
async function migrateWithRetry(knex: Knex): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (let attempt = 1; ; attempt++) {
    try {
      await knex.migrate.latest({ migrationSource });
      return;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const contended = /already locked|already exists|SQLITE_BUSY|duplicate key/i.test(message);
      if (!contended || Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, Math.min(100 * attempt, 1000)));
    }
  }
}
