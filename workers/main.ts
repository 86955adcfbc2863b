/** Composition root of a worker process (production: one or more per host; npm start runs one in-process). */
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logging/logger';
import { configSecrets } from '../src/logging/config-secrets';
import { installTemporalRuntime } from '../src/logging/temporal-logger';
import { createDatabase } from '../src/store/database';
import { exitOnConfigError, onShutdownSignal } from '../src/dev/process';
import { startWorkers } from './start';

async function main(): Promise<void> {
  const config = exitOnConfigError(loadConfig);
  const logger = createLogger({ level: config.LOG_LEVEL, secrets: configSecrets(config), name: 'worker' });
  installTemporalRuntime(logger, {
    metricsBindAddress: config.WORKER_METRICS_PORT
      ? `${config.HOST}:${config.WORKER_METRICS_PORT}`
      : undefined,
  });
  const db = await createDatabase(config.DATABASE_URL, { migrate: config.DATABASE_MIGRATE });
  const workers = await startWorkers({ config, logger, db });
  logger.info('worker polling');
  onShutdownSignal(async () => {
    await workers.shutdown();
    await db.close();
  });
  await workers.done;
}

void main();
