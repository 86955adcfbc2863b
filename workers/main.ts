/** Composition root of a worker process (production: one or more per host; npm start runs one in-process). */
import { loadConfig } from '../src/config';
import { createLogger, type Logger } from '../src/logging/logger';
import { configSecrets } from '../src/logging/config-secrets';
import { installTemporalRuntime } from '../src/logging/temporal-logger';
import { createDatabase } from '../src/store/database';
import { exitOnConfigError, onShutdownSignal } from '../src/dev/process';
import {
  payloadKeysProblem,
  portalCredentialsProblem,
  runEntry,
  startupStep,
  storeProblem,
} from '../src/dev/startup';
import { metricsBindAddress, metricsPortProblem } from '../src/dev/metrics-address';
import { dataConverterFromConfig } from '../src/temporal/data-converter-from-config';
import { startWorkers } from './start';

let logger: Logger | undefined;

async function main(): Promise<void> {
  const config = exitOnConfigError(loadConfig);
  const log = createLogger({ level: config.LOG_LEVEL, secrets: configSecrets(config), name: 'worker' });
  logger = log;
  // An IP, an IPv6 one bracketed; a name such as localhost resolved (the runtime parses a socket address).
  const metricsAddress = config.WORKER_METRICS_PORT
    ? await metricsBindAddress(config.HOST, config.WORKER_METRICS_PORT)
    : undefined;
  await startupStep(
    () => installTemporalRuntime(log, { metricsBindAddress: metricsAddress }),
    // The runtime binds the Prometheus port: one line that says what to change, not a stack trace.
    (err) => {
      const problem = metricsAddress && metricsPortProblem(err);
      return problem && `Cannot start the worker's metrics exporter on ${metricsAddress}: ${problem}`;
    },
  );
  // The keys are read again by startWorkers; read here first, an unreadable file is one line, not a stack trace.
  await startupStep(
    () => dataConverterFromConfig(config),
    (err) => payloadKeysProblem(err, config),
  );
  const db = await startupStep(
    () => createDatabase(config.DATABASE_URL, { migrate: config.DATABASE_MIGRATE }),
    (err) => storeProblem(err, config.DATABASE_URL),
  );
  const workers = await startupStep(
    () => startWorkers({ config, logger: log, db }),
    (err) => portalCredentialsProblem(err),
  ).catch(async (err: unknown) => {
    await db.close();
    throw err;
  });
  log.info('worker polling');
  onShutdownSignal(
    async () => {
      await workers.shutdown();
      await db.close();
    },
    // The workers force their activities down shortly after the grace time; this is the bound past that.
    (config.WORKER_SHUTDOWN_GRACE_SECONDS + 15) * 1000,
  );
  await workers.done;
}

runEntry(main, () => logger);
