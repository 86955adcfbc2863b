/**
 * `npm start`: the whole system on one machine. Temporal dev server (persisted under .data/), the Clio and
 * iManage sandboxes, the worker and the HTTP API, in that order; Ctrl-C stops them in reverse.
 */
import { loadConfig } from '../config';
import { configSecrets } from '../logging/config-secrets';
import { createLogger } from '../logging/logger';
import { installTemporalRuntime } from '../logging/temporal-logger';
import { createDatabase } from '../store/database';
import { connectClient } from '../temporal/connection';
import { dataConverterFromConfig } from '../temporal/data-converter-from-config';
import { startApiServer } from '../api/server';
import { RateBudgetRegistry, SERVICE_MAX_BUDGET_WAIT_MS } from '../integrations/clio/rate-budget-registry';
import { startWorkers } from '../../workers/start';
import { startSandboxes } from './sandboxes';
import { firstTakenPort, type PortNeed } from './ports';
import { exitOnConfigError } from './process';
import { startTemporalDevServer } from './temporal-dev-server';
import { ensureTemporalCli, ToolchainError } from './toolchain';
import { waitForReady } from './wait-ready';
import path from 'node:path';

async function main(): Promise<void> {
  const config = exitOnConfigError(loadConfig);
  const logger = createLogger({
    level: config.LOG_LEVEL,
    secrets: configSecrets(config),
    name: 'clio-orchestrator',
  });
  const say = (line: string) => process.stdout.write(`${line}\n`);

  const [temporalHost = '127.0.0.1', temporalPortText = '7233'] = config.TEMPORAL_ADDRESS.split(':');
  const temporalPort = Number(temporalPortText);
  const clioUrl = new URL(config.CLIO_BASE_URL);
  const imanageUrl = new URL(config.IMANAGE_BASE_URL);
  const needs: PortNeed[] = [
    { port: config.PORT, host: config.HOST, what: 'HTTP API', variable: 'PORT' },
    { port: temporalPort, host: temporalHost, what: 'Temporal frontend', variable: 'TEMPORAL_ADDRESS' },
    { port: config.TEMPORAL_UI_PORT, host: temporalHost, what: 'Temporal UI', variable: 'TEMPORAL_UI_PORT' },
    ...(config.WORKER_METRICS_PORT
      ? [
          {
            port: config.WORKER_METRICS_PORT,
            host: config.HOST,
            what: 'worker metrics',
            variable: 'WORKER_METRICS_PORT',
          },
        ]
      : []),
    ...(config.START_SANDBOXES
      ? [
          {
            port: Number(clioUrl.port),
            host: clioUrl.hostname,
            what: 'Clio sandbox',
            variable: 'CLIO_BASE_URL',
          },
          {
            port: Number(imanageUrl.port),
            host: imanageUrl.hostname,
            what: 'iManage sandbox',
            variable: 'IMANAGE_BASE_URL',
          },
        ]
      : []),
  ];
  const taken = await firstTakenPort(needs);
  if (taken) {
    process.stderr.write(`${taken}\n`);
    process.exit(1);
  }

  let cliPath: string;
  try {
    cliPath = ensureTemporalCli();
  } catch (err) {
    if (err instanceof ToolchainError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }

  installTemporalRuntime(logger, {
    metricsBindAddress: config.WORKER_METRICS_PORT
      ? `${config.HOST}:${config.WORKER_METRICS_PORT}`
      : undefined,
  });
  const stops: { name: string; stop: () => Promise<void> }[] = [];
  const stopAll = async () => {
    for (const { name, stop } of stops.reverse()) {
      say(`Stopping ${name}...`);
      try {
        await stop();
      } catch (err) {
        logger.error({ err }, `stopping ${name} failed`);
      }
    }
  };
  let stopping: Promise<void> | undefined;
  const shutdown = (signal: string) => {
    if (stopping) return;
    say(`\n${signal} received: shutting down in order.`);
    stopping = stopAll().then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  try {
    const server = await startTemporalDevServer({
      cliPath,
      host: temporalHost,
      port: temporalPort,
      uiPort: config.TEMPORAL_UI_PORT,
      dbFile: config.TEMPORAL_DB_FILE,
      namespace: config.TEMPORAL_NAMESPACE,
      // The UI decodes encrypted payloads in the browser through the API's codec server.
      codecEndpoint: `http://${config.HOST}:${config.PORT}/codec`,
      logger,
    });
    stops.push({ name: 'the Temporal server', stop: server.stop });

    if (config.START_SANDBOXES) {
      const sandboxes = await startSandboxes({
        dataDir: path.resolve(config.DATA_DIR),
        clioPort: Number(clioUrl.port),
        imanagePort: Number(imanageUrl.port),
        host: clioUrl.hostname,
        logger,
      });
      stops.push({ name: 'the sandboxes', stop: sandboxes.stop });
    }

    const db = await createDatabase(config.DATABASE_URL, { migrate: config.DATABASE_MIGRATE });
    stops.push({ name: 'the service store', stop: () => db.close() });
    // API and worker share this process, so they share one rate budget per Clio token.
    const clioBudgets = new RateBudgetRegistry({ maxWaitMs: SERVICE_MAX_BUDGET_WAIT_MS });
    const workers = await startWorkers({ config, logger, db, clioBudgets });
    stops.push({ name: 'the worker (draining running activities)', stop: workers.shutdown });
    const temporal = await connectClient(config, dataConverterFromConfig(config));
    stops.push({ name: 'the Temporal client', stop: () => temporal.connection.close() });
    const api = await startApiServer({ config, logger, temporal, db, clioBudgets });
    stops.push({ name: 'the HTTP API', stop: api.close });

    await waitForReady(`${api.url}/readyz`, 120_000);
    say('');
    say('clio-orchestrator is ready.');
    say(`  HTTP API          ${api.url}   (docs: ${api.url}/docs)`);
    say(`  Temporal UI       ${server.uiUrl}`);
    say(`  Temporal frontend ${server.address}`);
    if (config.WORKER_METRICS_PORT)
      say(`  Worker metrics    http://${config.HOST}:${config.WORKER_METRICS_PORT}/metrics`);
    say(`  API metrics       ${api.url}/metrics`);
    if (config.START_SANDBOXES) {
      say(`  Clio sandbox      ${config.CLIO_BASE_URL}`);
      say(`  iManage sandbox   ${config.IMANAGE_BASE_URL}`);
    }
    say('Press Ctrl-C to stop.');
  } catch (err) {
    process.stderr.write(`Start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
    await stopAll();
    process.exit(1);
  }
}

void main();
