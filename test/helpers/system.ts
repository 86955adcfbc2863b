import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type Client } from '@temporalio/client';
import { type DataConverter } from '@temporalio/common';
import { Runtime } from '@temporalio/worker';
import { dataConverterFromConfig } from '../../src/temporal/data-converter-from-config';
import { loadConfig, type Config } from '../../src/config';
import { configSecrets } from '../../src/logging/config-secrets';
import { createLogger, type Logger } from '../../src/logging/logger';
import { createDatabase, type Database } from '../../src/store/database';
import { startApiServer, type RunningApi } from '../../src/api/server';
import { startWorkers } from '../../workers/start';
import { type RunningWorkers } from '../../workers/main-worker';
import { createClioSandbox, type ClioSandbox } from '../../src/sandboxes/clio';
import { clioSessionWorkflowId } from '../../workflows/shared/session-messages';
import { createLocalEnv, workflowBundle } from './temporal-env';

export interface System {
  env: TestWorkflowEnvironment;
  /** The environment's client, with the service's payload codec (it reads encrypted payloads). */
  temporal: Client;
  dataConverter: DataConverter;
  config: Config;
  clio: ClioSandbox;
  clioUrl: string;
  api: RunningApi;
  db: Database;
  workers: RunningWorkers;
  logger: Logger;
  dataDir: string;
  /** Every line the service's logger wrote, after redaction and scrubbing (with `captureLogs`; else empty). */
  logs: string[];
  stop(): Promise<void>;
}

export interface SystemOptions {
  /** Log at debug level into `logs`, Temporal's runtime (workflow and activity) logs included. */
  captureLogs?: boolean;
}

/**
 * The Clio sandbox (API and web portal) + service store + workers (browser worker included) + API in this
 * process, on free ports, against a real Temporal server.
 */
export async function startSystem(
  env: Record<string, string> = {},
  opts: SystemOptions = {},
): Promise<System> {
  const clio = createClioSandbox();
  const clioPort = await clio.listen(0);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'clio-orch-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: opts.captureLogs ? 'debug' : 'silent',
    CLIO_BASE_URL: `http://127.0.0.1:${clioPort}`,
    DATABASE_URL: `sqlite:${path.join(dataDir, 'service.db')}`,
    DATA_DIR: dataDir,
    CLIO_RATE_LIMIT_PER_MINUTE: '6000',
    WORKER_SHUTDOWN_GRACE_SECONDS: '2',
    ...env,
  });
  // Clients see payloads as the workers wrote them: through the same codec, as in production.
  const dataConverter = dataConverterFromConfig(config);
  const temporalEnv = await createLocalEnv({ dataConverter });
  const logs: string[] = [];
  const logger = opts.captureLogs
    ? createLogger({
        level: config.LOG_LEVEL,
        secrets: configSecrets(config),
        destination: { write: (line: string) => void logs.push(line) },
      })
    : createLogger({ level: config.LOG_LEVEL });
  const restoreRuntimeLog = opts.captureLogs ? routeRuntimeLogs(logger) : () => undefined;
  const db = await createDatabase(config.DATABASE_URL);
  const workers = await startWorkers({
    config,
    logger,
    db,
    connection: temporalEnv.nativeConnection,
    workflowBundle: await workflowBundle(),
  });
  const temporal = temporalEnv.client;
  const api = await startApiServer({ config, logger, temporal, db, port: env.PORT ? Number(env.PORT) : 0 });
  return {
    env: temporalEnv,
    temporal,
    dataConverter,
    config,
    clio,
    clioUrl: `http://127.0.0.1:${clioPort}`,
    api,
    db,
    workers,
    logger,
    dataDir,
    logs,
    async stop() {
      // Every step runs even when one before it threw (workers.shutdown() rethrows a worker's failure): a
      // Temporal server or sandbox left running would outlive the file. The first error is thrown at the end.
      const errors: unknown[] = [];
      const step = async (fn: () => Promise<unknown>) => {
        await fn().catch((err: unknown) => void errors.push(err));
      };
      await step(() => api.close());
      // The workers sign the default tenant in at start; its session workflow would outlive them otherwise.
      await temporal.workflow
        .getHandle(clioSessionWorkflowId(config.DEFAULT_TENANT))
        .terminate('test over')
        .catch(() => undefined);
      await step(() => workers.shutdown());
      await step(() => db.close());
      await step(() => clio.close());
      await step(() => temporalEnv.teardown());
      rmSync(dataDir, { recursive: true, force: true });
      restoreRuntimeLog();
      if (errors.length > 0) throw errors[0];
    },
  };
}

type RuntimeLog = (level: string, message: string, meta?: Record<string, unknown>) => void;

/**
 * Workflow and activity logs go to the Temporal runtime's logger, which production routes into the service's pino
 * logger (installTemporalRuntime). The runtime is installed once per jest process, so the test reroutes it here.
 */
function routeRuntimeLogs(logger: Logger): () => void {
  const runtimeLogger = Runtime.instance().logger as unknown as { log: RuntimeLog };
  const original = runtimeLogger.log;
  runtimeLogger.log = (level, message, meta) => {
    const method = level.toLowerCase() as 'trace' | 'debug' | 'info' | 'warn' | 'error';
    logger[method]({ ...meta, component: 'temporal' }, message);
  };
  return () => {
    runtimeLogger.log = original;
  };
}

export async function waitForWorkflow(
  apiUrl: string,
  statusUrl: string,
  key = 'sandbox-admin',
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${apiUrl}${statusUrl}`, { headers: { authorization: `Bearer ${key}` } });
    const body = (await res.json()) as { status: string; result?: unknown; failure?: unknown };
    if (body.status !== 'RUNNING' || Date.now() > deadline) return body;
    await new Promise((r) => setTimeout(r, 200));
  }
}
