import { type NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import { type Config } from '../src/config';
import { clioClientsFromConfig } from '../src/config/clio-clients';
import { type RateBudgetRegistry } from '../src/integrations/clio/rate-budget-registry';
import { type Logger } from '../src/logging/logger';
import { type Database } from '../src/store/database';
import { createOperationsLedger } from '../src/store/operations-ledger';
import { createAuditStore } from '../src/audit';
import { createSecretBox, parseKey } from '../src/crypto/secret-box';
import { createWebhookRepository } from '../src/webhooks/repository';
import { webhookUrlPolicy } from '../src/webhooks/policy-from-config';
import { connectWorker } from '../src/temporal/connection';
import { dataConverterFromConfig } from '../src/temporal/data-converter-from-config';
import { createSessionStore, sessionKey, sessionSettings } from '../src/sessions';
import { DEFAULT_PORTAL_PATHS } from '../src/integrations/clio-portal';
import { ensureChromium } from '../src/dev/toolchain';
import { logOnlyNotifier } from '../activities/clio-session-support';
import { createBrowserWorker } from './browser-worker';
import { ensureDefaultSession } from './ensure-session';
import { createMainWorkers, runWorkers, type RunningWorkers } from './main-worker';

/** Builds the worker's dependencies from config and starts polling every task queue. */
export async function startWorkers(opts: {
  config: Config;
  logger: Logger;
  db: Database;
  workflowBundle?: WorkflowBundleOption;
  /** An existing connection (tests); otherwise one is opened to TEMPORAL_ADDRESS and closed on shutdown. */
  connection?: NativeConnection;
  /** The process's Clio rate budgets, shared with an API in the same process (npm start). */
  clioBudgets?: RateBudgetRegistry;
  /** Start the default tenant's Clio portal session at once (default: when the process owns its connection). */
  ensureSession?: boolean;
}): Promise<RunningWorkers> {
  const { config, logger, db } = opts;
  // Every payload the workers send Temporal is encrypted with the keyring all processes share.
  const dataConverter = dataConverterFromConfig(config);
  const clio = clioClientsFromConfig(config, { knex: db.knex, logger, budgets: opts.clioBudgets });
  const ownConnection = !opts.connection;
  const connection =
    opts.connection ??
    (await connectWorker(config, {
      onWaiting: (attempt, reason) =>
        logger.warn(
          { attempt, temporal: config.TEMPORAL_ADDRESS, reason },
          'Temporal is not reachable yet (TEMPORAL_ADDRESS); waiting for it',
        ),
    }));
  let closing: Promise<void> | undefined;
  const closeConnection = () => (closing ??= ownConnection ? connection.close() : Promise.resolve());
  const sessionStore = createSessionStore(db.knex, sessionKey(config));
  const portal = { baseUrl: config.CLIO_BASE_URL, paths: DEFAULT_PORTAL_PATHS };
  const workers = await createMainWorkers({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    logger,
    deps: {
      clioTimeEntries: (tenant) => clio(tenant).timeEntries,
      ledger: createOperationsLedger(db.knex),
      audit: createAuditStore(db, { retentionYears: config.AUDIT_RETENTION_YEARS }),
      webhooks: {
        webhooks: createWebhookRepository(db.knex, createSecretBox(parseKey(config.DATA_ENCRYPTION_KEY))),
        urlPolicy: webhookUrlPolicy(config),
        maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
        disableAfterFailures: config.WEBHOOK_DISABLE_AFTER_FAILURES,
      },
      portalSession: {
        store: sessionStore,
        notifier: logOnlyNotifier,
        portal,
        settings: sessionSettings(config),
      },
    },
    clioRequestsPerMinute: config.CLIO_RATE_LIMIT_PER_MINUTE,
    shutdownGraceSeconds: config.WORKER_SHUTDOWN_GRACE_SECONDS,
    workflowBundle: opts.workflowBundle,
    dataConverter,
  });
  const browser = await createBrowserWorker({
    connection,
    config,
    store: sessionStore,
    // Found (not installed) at the first sign-in: installing is `npm start`'s job, not a worker's.
    chromiumPath: () => config.CHROMIUM_PATH ?? ensureChromium(process.env, false),
    shutdownGraceSeconds: config.WORKER_SHUTDOWN_GRACE_SECONDS,
    dataConverter,
  });
  const running = runWorkers([...workers, ...browser.workers]);
  if (opts.ensureSession ?? !opts.connection) void ensureDefaultSession(config, logger, sessionStore);
  return {
    done: running.done.finally(() => browser.close()).finally(closeConnection),
    shutdown: async () => {
      await running.shutdown();
      await browser.close();
      await closeConnection();
    },
  };
}
