/** Composition root of the API process (production; npm start runs the API in-process). */
import './v8-tuning';
import { loadConfig } from '../config';
import { exitOnConfigError, onShutdownSignal } from '../dev/process';
import { payloadKeysProblem, runEntry, startupStep, storeProblem } from '../dev/startup';
import { configSecrets } from '../logging/config-secrets';
import { createLogger, type Logger } from '../logging/logger';
import { createDatabase } from '../store/database';
import { lazyClient } from '../temporal/connection';
import { dataConverterFromConfig } from '../temporal/data-converter-from-config';
import { drainReadiness } from './readiness';
import { ApiListenError, startApiServer } from './server';

let logger: Logger | undefined;

async function main(): Promise<void> {
  const config = exitOnConfigError(loadConfig);
  const log = createLogger({ level: config.LOG_LEVEL, secrets: configSecrets(config), name: 'api' });
  logger = log;
  const dataConverter = await startupStep(
    () => dataConverterFromConfig(config),
    (err) => payloadKeysProblem(err, config),
  );
  const db = await startupStep(
    () => createDatabase(config.DATABASE_URL, { migrate: config.DATABASE_MIGRATE }),
    (err) => storeProblem(err, config.DATABASE_URL),
  );
  // Temporal may come up after the API (or go away for a while): /readyz says so, writes answer 503 meanwhile.
  const temporal = lazyClient(config, dataConverter, {
    retryBudgetMs: config.API_TEMPORAL_TIMEOUT_SECONDS * 1000,
  });
  // The port is taken or not allowed: one line that says what to change, not a stack trace.
  const api = await startupStep(
    () => startApiServer({ config, logger: log, temporal, db }),
    (err) => (err instanceof ApiListenError ? err.message : undefined),
  ).catch(async (err: unknown) => {
    await db.close();
    throw err;
  });
  log.info({ url: api.url, temporal: config.TEMPORAL_ADDRESS }, 'API listening');
  onShutdownSignal(
    async () => {
      // Probes on kept-alive connections get 503 from now on, so a balancer stops sending here.
      drainReadiness(temporal);
      await api.close();
      await temporal.connection.close();
      await db.close();
      // api.close() cuts connections after 2×API_TEMPORAL_TIMEOUT_SECONDS + 5 s; the rest is the store and Temporal.
    },
    (2 * config.API_TEMPORAL_TIMEOUT_SECONDS + 15) * 1000,
  );
}

runEntry(main, () => logger);
