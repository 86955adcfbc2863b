/** Composition root of the API process (production; npm start runs the API in-process). */
import './v8-tuning';
import { loadConfig } from '../config';
import { exitOnConfigError, onShutdownSignal } from '../dev/process';
import { configSecrets } from '../logging/config-secrets';
import { createLogger } from '../logging/logger';
import { createDatabase } from '../store/database';
import { lazyClient } from '../temporal/connection';
import { dataConverterFromConfig } from '../temporal/data-converter-from-config';
import { ApiListenError, startApiServer } from './server';

async function main(): Promise<void> {
  const config = exitOnConfigError(loadConfig);
  const logger = createLogger({ level: config.LOG_LEVEL, secrets: configSecrets(config), name: 'api' });
  const db = await createDatabase(config.DATABASE_URL, { migrate: config.DATABASE_MIGRATE });
  // Temporal may come up after the API (or go away for a while): /readyz says so, writes answer 503 meanwhile.
  const temporal = lazyClient(config, dataConverterFromConfig(config), {
    retryBudgetMs: config.API_TEMPORAL_TIMEOUT_SECONDS * 1000,
  });
  let api;
  try {
    api = await startApiServer({ config, logger, temporal, db });
  } catch (err) {
    // The port is taken or not allowed: one line that says what to change, not a stack trace.
    if (!(err instanceof ApiListenError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  logger.info({ url: api.url, temporal: config.TEMPORAL_ADDRESS }, 'API listening');
  onShutdownSignal(async () => {
    await api.close();
    await temporal.connection.close();
    await db.close();
  });
}

void main();
