/**
 * npm run audit:purge — removes audit records older than the retention period (AUDIT_RETENTION_YEARS,
 * default 7) and nothing inside it; the remaining chains still verify. Reads DATABASE_URL.
 */
import { z } from 'zod';
import { createAuditStore, DEFAULT_RETENTION_YEARS } from '../src/audit';
import { createDatabase, DEFAULT_DATABASE_URL } from '../src/store';
import { runCli } from './run-cli';

async function main(): Promise<void> {
  const retentionYears = z.coerce
    .number()
    .int()
    .min(1, 'AUDIT_RETENTION_YEARS must be a whole number of years, at least 1')
    .parse(process.env.AUDIT_RETENTION_YEARS || DEFAULT_RETENTION_YEARS);
  const db = await createDatabase(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
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
