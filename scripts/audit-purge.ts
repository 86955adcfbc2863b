/**
 * npm run audit:purge — removes audit records older than the retention period (AUDIT_RETENTION_YEARS,
 * default 7) and nothing inside it; the remaining chains still verify. Reads the service's configuration.
 */
import { createAuditStore } from '../src/audit';
import { loadConfig } from '../src/config';
import { createDatabase } from '../src/store';
import { runCli } from './run-cli';

async function main(): Promise<void> {
  const config = loadConfig();
  const retentionYears = config.AUDIT_RETENTION_YEARS;
  const db = await createDatabase(config.DATABASE_URL, { migrate: config.DATABASE_MIGRATE });
  try {
    const { cutoff, deleted } = await createAuditStore(db, { retentionYears }).purgeExpired();
    console.log(
      `audit:purge removed ${deleted} record(s) older than ${cutoff} (retention ${retentionYears} years)`,
    );
  } finally {
    await db.close();
  }
}

runCli('audit:purge', main);
