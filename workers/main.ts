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
import { dataConverterFromConfig } from '../src/temporal/data-converter-from-config';
import { startWorkers } from './start';

let logger: Logger | undefined;

async function main(): Promise<void> {
  const config = exitOnConfigError(loadConfig);
  const log = createLogger({ level: config.LOG_LEVEL, secrets: configSecrets(config), name: 'worker' });
  logger = log;
  // An IPv6 address is bracketed before its port (the runtime parses a socket address).
  const metricsHost = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  const metricsBindAddress = config.WORKER_METRICS_PORT
    ? `${metricsHost}:${config.WORKER_METRICS_PORT}`
    : undefined;
  try {
    installTemporalRuntime(log, { metricsBindAddress });
  } catch (err) {
    // The runtime binds the Prometheus port: one line that says what to change, not a stack trace.
    const problem = metricsBindAddress && metricsPortProblem(err);
    if (!problem) throw err;
    process.stderr.write(`Cannot start the worker's metrics exporter on ${metricsBindAddress}: ${problem}\n`);
    process.exit(1);
  }
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
  onShutdownSignal(async () => {
    await workers.shutdown();
    await db.close();
  });
  await workers.done;
}

/** What a person can do about the runtime's bind failure (its error carries the OS's words, no code). */
function metricsPortProblem(err: unknown): string | undefined {
  const message = err instanceof Error ? err.message : '';
  const moveIt = 'set WORKER_METRICS_PORT (0 turns the exporter off; HOST sets the address).';
  if (/address already in use/i.test(message))
    return `the port is already in use; stop what uses it or ${moveIt}`;
  if (/permission denied/i.test(message))
    return `not allowed to listen there (ports below 1024 need privileges); ${moveIt}`;
  if (/cannot assign requested address/i.test(message))
    return 'HOST is not an address of this machine; set HOST.';
  if (/invalid socket address/i.test(message))
    return 'the exporter needs an IP address in HOST, not a host name; set HOST (127.0.0.1, say).';
  return undefined;
}

runEntry(main, () => logger);
