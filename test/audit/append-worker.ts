/**
 * Child process for the cross-process concurrency test: appends N records to one tenant's chain and exits.
 * argv: <databaseUrl> <tenant> <keyPrefix> <count>
 */
import { createAuditStore } from '../../src/audit';
import { createDatabase } from '../../src/store';
import { entry } from './fixtures';

async function main(): Promise<void> {
  const [url, tenant, prefix, count] = process.argv.slice(2);
  if (!url || !tenant || !prefix || !count)
    throw new Error('usage: append-worker <url> <tenant> <prefix> <count>');
  const db = await createDatabase(url);
  try {
    const audit = createAuditStore(db);
    await Promise.all(
      Array.from({ length: Number(count) }, (_, i) => audit.append(entry(tenant, `${prefix}-${i}`))),
    );
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
