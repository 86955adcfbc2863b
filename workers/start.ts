import { type NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import { type Config } from '../src/config';
import { createClioClientFactory } from '../src/integrations/clio/client-factory';
import { type Logger } from '../src/logging/logger';
import { type Database } from '../src/store/database';
import { createOperationsLedger } from '../src/store/operations-ledger';
import { connectWorker } from '../src/temporal/connection';
import { createMainWorkers, runWorkers, type RunningWorkers } from './main-worker';

/** Builds the worker's dependencies from config and starts polling every task queue. */
export async function startWorkers(opts: {
  config: Config;
  logger: Logger;
  db: Database;
  workflowBundle?: WorkflowBundleOption;
  /** An existing connection (tests); otherwise one is opened to TEMPORAL_ADDRESS and closed on shutdown. */
  connection?: NativeConnection;
}): Promise<RunningWorkers> {
  const { config, logger, db } = opts;
  const clio = createClioClientFactory(
    [
      {
        tenant: config.DEFAULT_TENANT,
        baseUrl: config.CLIO_BASE_URL,
        apiVersion: config.CLIO_API_VERSION,
        clientId: config.CLIO_CLIENT_ID,
        clientSecret: config.CLIO_CLIENT_SECRET,
        refreshToken: config.CLIO_REFRESH_TOKEN,
      },
    ],
    logger,
  );
  const ownConnection = !opts.connection;
  const connection = opts.connection ?? (await connectWorker(config));
  let closing: Promise<void> | undefined;
  const closeConnection = () => (closing ??= ownConnection ? connection.close() : Promise.resolve());
  const workers = await createMainWorkers({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    logger,
    deps: { clioTimeEntries: (tenant) => clio(tenant).timeEntries, ledger: createOperationsLedger(db.knex) },
    clioRequestsPerMinute: config.CLIO_RATE_LIMIT_PER_MINUTE,
    shutdownGraceSeconds: config.WORKER_SHUTDOWN_GRACE_SECONDS,
    workflowBundle: opts.workflowBundle,
  });
  const running = runWorkers(workers);
  return {
    done: running.done.finally(closeConnection),
    shutdown: async () => {
      await running.shutdown();
      await closeConnection();
    },
  };
}
