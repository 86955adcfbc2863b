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
import { drainReadiness } from '../api/readiness';
import { startApiServer } from '../api/server';
import { RateBudgetRegistry, SERVICE_MAX_BUDGET_WAIT_MS } from '../integrations/clio/rate-budget-registry';
import { startWorkers } from '../../workers/start';
import { startSandboxes } from './sandboxes';
import { firstTakenPort, type PortNeed } from './ports';
import { metricsBindAddress, metricsPortProblem } from './metrics-address';
import { exitOnConfigError, onStopSignals } from './process';
import { payloadKeysProblem, runEntry, StartupFailure, startupStep, storeProblem } from './startup';
import { startTemporalDevServer } from './temporal-dev-server';
import { ensureTemporalCli, ToolchainError } from './toolchain';
import { waitForReady } from './wait-ready';
import path from 'node:path';
import { isIP } from 'node:net';

async function main(): Promise<void> {
  const config = exitOnConfigError(loadConfig);
  const logger = createLogger({
    level: config.LOG_LEVEL,
    secrets: configSecrets(config),
    name: 'clio-orchestrator',
  });
  const say = (line: string) => process.stdout.write(`${line}\n`);

  // host:port, or [ipv6]:port: the port after the last colon, the brackets off the host.
  const portAt = config.TEMPORAL_ADDRESS.lastIndexOf(':');
  const temporalHost = config.TEMPORAL_ADDRESS.slice(0, portAt).replace(/^\[(.*)\]$/, '$1');
  const temporalPort = Number(config.TEMPORAL_ADDRESS.slice(portAt + 1));
  if (isIP(temporalHost) === 6) {
    // Its internal services dial each other on 127.0.0.1 whatever --ip says, so it never gets ready.
    process.stderr.write(
      `The Temporal dev server that npm start runs cannot listen on an IPv6 address (TEMPORAL_ADDRESS=${config.TEMPORAL_ADDRESS}); set TEMPORAL_ADDRESS to an IPv4 host:port such as 127.0.0.1:7233 (a Temporal cluster of your own may use IPv6).\n`,
    );
    process.exit(1);
  }
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

  // Read before anything starts: keys that cannot be loaded are one line, not a half-started system.
  await startupStep(
    () => dataConverterFromConfig(config),
    (err) => payloadKeysProblem(err, config),
  );
  // The exporter needs an IP: HOST=localhost is resolved, an IPv6 HOST bracketed.
  const metricsAddress = config.WORKER_METRICS_PORT
    ? await metricsBindAddress(config.HOST, config.WORKER_METRICS_PORT)
    : undefined;
  await startupStep(
    () => installTemporalRuntime(logger, { metricsBindAddress: metricsAddress }),
    (err) => {
      const problem = metricsAddress && metricsPortProblem(err);
      return problem && `Cannot start the worker's metrics exporter on ${metricsAddress}: ${problem}`;
    },
  );
  const stops: { name: string; stop: () => Promise<void> }[] = [];
  let stopping: Promise<void> | undefined;
  const stopAll = async () => {
    for (let next = stops.pop(); next; next = stops.pop()) {
      say(`Stopping ${next.name}...`);
      try {
        await next.stop();
      } catch (err) {
        logger.error({ err }, `stopping ${next.name} failed`);
      }
    }
  };
  /** What start-up brought up, stopped in reverse; one that comes up after a signal is stopped at once. */
  const started = async (name: string, stop: () => Promise<void>) => {
    stops.push({ name, stop });
    if (stopping) await stopAll();
  };
  // Past this the worker had its grace and the API its requests' Temporal time: something hangs.
  const boundMs =
    (config.WORKER_SHUTDOWN_GRACE_SECONDS + 2 * config.API_TEMPORAL_TIMEOUT_SECONDS + 20) * 1000;
  onStopSignals(
    (signal) => {
      say(`\n${signal} received: shutting down in order (${signal} again to exit at once).`);
      setTimeout(() => {
        process.stderr.write(`Shutdown did not finish within ${boundMs / 1000} s; exiting now.\n`);
        process.exit(1);
      }, boundMs).unref();
      stopping = stopAll().then(() => process.exit(0));
    },
    (signal) => {
      // Ctrl-C pressed again: the person wants out now. The Temporal dev server is stopped with this process.
      process.stderr.write(`${signal} received again: exiting now without finishing the shutdown.\n`);
      process.exit(130);
    },
  );

  try {
    const server = await startTemporalDevServer({
      cliPath,
      host: temporalHost,
      port: temporalPort,
      uiPort: config.TEMPORAL_UI_PORT,
      dbFile: config.TEMPORAL_DB_FILE,
      namespace: config.TEMPORAL_NAMESPACE,
      // The UI decodes encrypted payloads in the browser through the API's codec server.
      codecEndpoint: `http://${hostPort(config.HOST, config.PORT)}/codec`,
      logger,
    });
    await started('the Temporal server', server.stop);

    if (config.START_SANDBOXES) {
      const sandboxes = await startSandboxes({
        dataDir: path.resolve(config.DATA_DIR),
        clioPort: Number(clioUrl.port),
        imanagePort: Number(imanageUrl.port),
        host: clioUrl.hostname,
        logger,
      });
      await started('the sandboxes', sandboxes.stop);
    }

    const db = await startupStep(
      () => createDatabase(config.DATABASE_URL, { migrate: config.DATABASE_MIGRATE }),
      (err) => storeProblem(err, config.DATABASE_URL),
    );
    await started('the service store', () => db.close());
    // API and worker share this process, so they share one rate budget per Clio token.
    const clioBudgets = new RateBudgetRegistry({ maxWaitMs: SERVICE_MAX_BUDGET_WAIT_MS });
    const workers = await startWorkers({ config, logger, db, clioBudgets });
    await started('the worker (draining running activities)', workers.shutdown);
    const temporal = await connectClient(config, dataConverterFromConfig(config));
    await started('the Temporal client', () => temporal.connection.close());
    const api = await startApiServer({ config, logger, temporal, db, clioBudgets });
    await started('the HTTP API', async () => {
      drainReadiness(temporal);
      await api.close();
    });

    await waitForReady(`${api.url}/readyz`, 120_000);
    say('');
    say('clio-orchestrator is ready.');
    say(`  HTTP API          ${api.url}   (docs: ${api.url}/docs)`);
    say(`  Temporal UI       ${server.uiUrl}`);
    say(`  Temporal frontend ${server.address}`);
    if (config.WORKER_METRICS_PORT)
      say(`  Worker metrics    http://${hostPort(config.HOST, config.WORKER_METRICS_PORT)}/metrics`);
    say(`  API metrics       ${api.url}/metrics`);
    if (config.START_SANDBOXES) {
      say(`  Clio sandbox      ${config.CLIO_BASE_URL}`);
      say(`  iManage sandbox   ${config.IMANAGE_BASE_URL}`);
    }
    say('Press Ctrl-C to stop.');
  } catch (err) {
    if (stopping) return;
    process.stderr.write(
      err instanceof StartupFailure
        ? `${err.message}\n`
        : `Start-up failed: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    await stopAll();
    process.exit(1);
  }
}

/** host:port, an IPv6 address in brackets (for URLs). */
function hostPort(host: string, port: number): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

runEntry(main, () => undefined);
