/**
 * npm run migrate (node dist/scripts/migrate.js in the image) — brings the store at DATABASE_URL to the latest
 * schema; run it as the database's owner. On PostgreSQL with DATABASE_SERVICE_ROLE set, it then grants that role
 * exactly the data rights the API and workers use, on every table and sequence, and revokes any others (audit
 * records: insert, read and the retention purge only; no TRUNCATE, no DDL). Idempotent: run it at every deploy,
 * before the services, which then start with DATABASE_MIGRATE=false. Reads only those two variables.
 */
import { loadSettings } from '../src/config';
import { migrateDatabase } from '../src/store';
import { runCli } from './run-cli';

async function main(): Promise<void> {
  const settings = loadSettings(['DATABASE_URL', 'DATABASE_SERVICE_ROLE']);
  const { applied, grants } = await migrateDatabase(settings.DATABASE_URL, {
    serviceRole: settings.DATABASE_SERVICE_ROLE,
  });
  console.log(
    applied.length === 0
      ? 'migrate: the schema was current'
      : `migrate: ran ${applied.length} migration(s): ${applied.join(', ')}`,
  );
  if (grants) {
    const tables = Object.entries(grants.tables)
      .map(([table, rights]) => `${table} (${rights.length > 0 ? rights.join(', ') : 'none'})`)
      .join(', ');
    console.log(
      `migrate: role ${grants.role} holds, in schema ${grants.schema}: ${tables}; sequences (USAGE, SELECT)`,
    );
  }
}

runCli('migrate', main);
