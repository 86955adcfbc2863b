/** Child process for the concurrent-start test: opens (and so migrates) the database, then exits. */
import { createDatabase } from '../../src/store';

const url = process.argv[2];
if (!url) throw new Error('usage: open-worker <databaseUrl>');
createDatabase(url)
  .then((db) => db.close())
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
