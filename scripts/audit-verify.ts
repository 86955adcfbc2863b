/**
 * npm run audit:verify — walks every tenant's audit hash chain (or `--tenant <id>`'s) and exits 1 naming the
 * first broken record of each broken chain. Reads the service's configuration (DATABASE_URL; in production it must
 * be set, as for the service itself).
 */
import { parseArgs } from 'node:util';
import { createAuditStore } from '../src/audit';
import { loadConfig } from '../src/config';
import { createDatabase } from '../src/store';
import { runCli } from './run-cli';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { tenant: { type: 'string' } }, strict: true });
  const config = loadConfig();
  const db = await createDatabase(config.DATABASE_URL, { migrate: config.DATABASE_MIGRATE });
  try {
    const result = await createAuditStore(db).verify(values.tenant);
    if (result.ok) {
      console.log(`audit chain OK: ${result.records} records in ${result.tenants} tenant chain(s)`);
      return 0;
    }
    for (const b of result.broken) {
      const where = b.recordId ? `record ${b.recordId} (seq ${b.seq})` : 'end of chain';
      console.log(`audit chain BROKEN: tenant ${b.tenant}, first broken ${where}: ${b.reason}`);
    }
    return 1;
  } finally {
    await db.close();
  }
}

runCli('audit:verify', main);
