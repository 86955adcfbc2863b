/**
 * The API alone in its own process, for `npm run bench` (as in production, where the API is its own process).
 * Reads need no Temporal server: the client's connection is lazy and never used. Prints its URL on stdout and
 * logs at LOG_LEVEL to BENCH_LOG_FILE.
 */
import '../src/api/v8-tuning';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { startApiServer } from '../src/api/server';
import { createLogger } from '../src/logging/logger';
import { createDatabase } from '../src/store/database';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = await createDatabase(config.DATABASE_URL);
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const api = await startApiServer({
    config,
    logger: createLogger({
      level: config.LOG_LEVEL,
      destination: pino.destination({ dest: process.env.BENCH_LOG_FILE ?? '/dev/null', sync: true }),
    }),
    temporal,
    db,
    port: 0,
  });
  process.stdout.write(`${api.url}\n`);
  process.on('SIGTERM', () => {
    void api
      .close()
      .then(() => db.close())
      .then(() => process.exit(0));
  });
}

void main();
