import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { Client } from '@temporalio/client';
import { dataConverterFromConfig } from '../../src/temporal/data-converter-from-config';
import { loadConfig, type Config } from '../../src/config';
import { createLogger, type Logger } from '../../src/logging/logger';
import { createDatabase, type Database } from '../../src/store/database';
import { startApiServer, type RunningApi } from '../../src/api/server';
import { startWorkers } from '../../workers/start';
import { type RunningWorkers } from '../../workers/main-worker';
import { createClioSandbox, type ClioSandbox } from '../../src/sandboxes/clio';
import { createLocalEnv, workflowBundle } from './temporal-env';

export interface System {
  env: TestWorkflowEnvironment;
  /** A client with the service's payload codec (env.client has none and cannot read encrypted payloads). */
  temporal: Client;
  config: Config;
  clio: ClioSandbox;
  clioUrl: string;
  api: RunningApi;
  db: Database;
  workers: RunningWorkers;
  logger: Logger;
  stop(): Promise<void>;
}

/** Clio sandbox + service store + worker + API in this process, on free ports, against a real Temporal server. */
export async function startSystem(env: Record<string, string> = {}): Promise<System> {
  const temporalEnv = await createLocalEnv();
  const clio = createClioSandbox();
  const clioPort = await clio.listen(0);
  const dir = mkdtempSync(path.join(tmpdir(), 'clio-orch-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    CLIO_BASE_URL: `http://127.0.0.1:${clioPort}`,
    DATABASE_URL: `sqlite:${path.join(dir, 'service.db')}`,
    DATA_DIR: dir,
    CLIO_RATE_LIMIT_PER_MINUTE: '6000',
    WORKER_SHUTDOWN_GRACE_SECONDS: '2',
    ...env,
  });
  const logger = createLogger({ level: config.LOG_LEVEL });
  const db = await createDatabase(config.DATABASE_URL);
  const workers = await startWorkers({
    config,
    logger,
    db,
    connection: temporalEnv.nativeConnection,
    workflowBundle: await workflowBundle(),
  });
  // The API's client encrypts like production's: through the codec, over the test server's connection.
  const temporal = new Client({
    connection: temporalEnv.connection,
    namespace: 'default',
    dataConverter: dataConverterFromConfig(config),
  });
  const api = await startApiServer({ config, logger, temporal, db, port: env.PORT ? Number(env.PORT) : 0 });
  return {
    env: temporalEnv,
    temporal,
    config,
    clio,
    clioUrl: `http://127.0.0.1:${clioPort}`,
    api,
    db,
    workers,
    logger,
    async stop() {
      await api.close();
      await workers.shutdown();
      await db.close();
      await clio.close();
      await temporalEnv.teardown();
      rmSync(dir, { recursive: true, force: true });
    },
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
