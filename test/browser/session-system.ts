import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Runtime } from '@temporalio/worker';
import { loadConfig, type Config } from '../../src/config';
import { createLogger } from '../../src/logging/logger';
import { configSecrets } from '../../src/logging/config-secrets';
import { createDatabase, type Database } from '../../src/store/database';
import { startApiServer, type RunningApi } from '../../src/api/server';
import { startWorkers } from '../../workers/start';
import { type RunningWorkers } from '../../workers/main-worker';
import { createClioSandbox, type ClioSandbox } from '../../src/sandboxes/clio';
import { portalRouters } from '../../src/sandboxes/clio/portal';
import {
  createSessionLink,
  createSessionStore,
  sessionKey,
  sessionSettings,
  type SessionLink,
  type SessionStore,
} from '../../src/sessions';
import {
  sessionStateQuery,
  clioSessionWorkflowId,
  type SessionView,
} from '../../workflows/shared/session-messages';
import { dataConverterFromConfig } from '../../src/temporal/data-converter-from-config';
import { SEARCH_ATTRIBUTES } from '../../workflows/shared/search-attributes';
import { ensureTemporalCli } from '../../src/dev/toolchain';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { type DataConverter } from '@temporalio/common';
import { workflowBundle } from '../helpers/temporal-env';

export interface SessionSystem {
  env: TestWorkflowEnvironment;
  config: Config;
  clio: ClioSandbox;
  clioUrl: string;
  api: RunningApi;
  db: Database;
  workers: RunningWorkers;
  store: SessionStore;
  link: SessionLink;
  dataDir: string;
  dataConverter: DataConverter;
  /** Every line the service's logger wrote (debug level, after redaction and scrubbing). */
  logs: string[];
  stop(): Promise<void>;
}

/** The service (API + workers + browser worker) against the Clio sandbox with its portal, on free ports. */
export async function startSessionSystem(env: Record<string, string> = {}): Promise<SessionSystem> {
  const clio = createClioSandbox({ routers: portalRouters });
  const clioPort = await clio.listen(0);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'clio-session-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    CLIO_BASE_URL: `http://127.0.0.1:${clioPort}`,
    DATA_DIR: dataDir,
    DATABASE_URL: `sqlite:${path.join(dataDir, 'service.db')}`,
    CLIO_RATE_LIMIT_PER_MINUTE: '6000',
    API_RATE_LIMIT_PER_MINUTE: '100000',
    WORKER_SHUTDOWN_GRACE_SECONDS: '2',
    PORTAL_HEALTH_CHECK_SECONDS: '3600',
    ...env,
  });
  // Clients see payloads as the workers wrote them: through the same codec (encrypted payloads).
  const dataConverter = dataConverterFromConfig(config);
  const temporalEnv = await createLocalEnv({ dataConverter });
  const logs: string[] = [];
  const logger = createLogger({
    level: config.LOG_LEVEL,
    secrets: configSecrets(config),
    destination: { write: (line: string) => void logs.push(line) },
  });
  const restoreRuntimeLog = routeRuntimeLogs(logger);
  const db = await createDatabase(config.DATABASE_URL);
  const workers = await startWorkers({
    config,
    logger,
    db,
    connection: temporalEnv.nativeConnection,
    workflowBundle: await workflowBundle(),
  });
  const api = await startApiServer({ config, logger, temporal: temporalEnv.client, db, port: 0 });
  return {
    env: temporalEnv,
    config,
    clio,
    clioUrl: `http://127.0.0.1:${clioPort}`,
    api,
    db,
    workers,
    store: createSessionStore(db.knex, sessionKey(config)),
    link: createSessionLink(temporalEnv.client, sessionSettings(config)),
    dataDir,
    dataConverter,
    logs,
    async stop() {
      await api.close();
      await temporalEnv.client.workflow
        .getHandle(clioSessionWorkflowId(config.DEFAULT_TENANT))
        .terminate('test over')
        .catch(() => undefined);
      await workers.shutdown();
      await db.close();
      await clio.close();
      await temporalEnv.teardown();
      rmSync(dataDir, { recursive: true, force: true });
      restoreRuntimeLog();
    },
  };
}

/** Polls the session workflow's query until `ok` holds (or the time is up; the caller's expect then shows why). */
export async function waitForSession(
  sys: SessionSystem,
  ok: (v: SessionView) => boolean,
  timeoutMs = 60_000,
): Promise<SessionView> {
  const handle = sys.env.client.workflow.getHandle(clioSessionWorkflowId(sys.config.DEFAULT_TENANT));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await handle.query(sessionStateQuery).catch(() => undefined);
    if ((view && ok(view)) || Date.now() > deadline) return view as SessionView;
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function api(
  sys: SessionSystem,
  method: string,
  url: string,
  body?: unknown,
  key = 'sandbox-admin',
) {
  const res = await fetch(`${sys.api.url}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- test answers are read loosely
}

export async function sandboxControl(
  sys: SessionSystem,
  method: string,
  url: string,
  body?: unknown,
): Promise<unknown> {
  const res = await fetch(`${sys.clioUrl}${url}`, {
    method,
    headers: body !== undefined ? { 'content-type': 'application/json' } : {},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json();
}

type RuntimeLog = (level: string, message: string, meta?: Record<string, unknown>) => void;

/**
 * Workflow and activity logs go to the Temporal runtime's logger, which production routes into the service's pino
 * logger (installTemporalRuntime). The runtime is installed once per jest process, so the test reroutes it here.
 */
function routeRuntimeLogs(logger: ReturnType<typeof createLogger>): () => void {
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

/** As test/helpers' createLocalEnv, with the service's data converter on the environment's client. */
function createLocalEnv(client: { dataConverter: DataConverter }): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: ensureTemporalCli(process.env, false) },
      searchAttributes: SEARCH_ATTRIBUTES,
      log: { format: 'json', level: 'error' },
      extraArgs: ['--dynamic-config-value', 'frontend.enableExecuteMultiOperation=true'],
    },
    client,
  });
}
