import { ApplicationFailure } from '@temporalio/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import { type NativeConnection, Worker } from '@temporalio/worker';
import { type DataConverter } from '@temporalio/common';
import { createClioBrowserActivities } from '../activities/clio-browser';
import { type Config } from '../src/config';
import { portalCredentialsFromConfig } from '../src/config/portal-credentials';
import { PortalBrowser, SignInChallenges } from '../src/integrations/clio-portal';
import { type SessionStore } from '../src/sessions/session-store';
import { TASK_QUEUES } from './task-queues';

export interface BrowserWorkerOptions {
  connection: NativeConnection;
  config: Config;
  store: SessionStore;
  /** Finds Chromium (CHROMIUM_PATH or the system's), called at the first sign-in. */
  chromiumPath: () => string;
  shutdownGraceSeconds: number;
  dataConverter?: DataConverter;
}

export interface BrowserWorker {
  /** The shared browser queue's worker and this process's own queue's worker (open MFA challenges). */
  workers: Worker[];
  /** Closes open sign-ins and Chromium; call after the worker stopped. */
  close(): Promise<void>;
}

/**
 * The browser worker: real Chromium sign-ins on their own task queue, at low concurrency (each one is a browser
 * context, memory-heavy). MFA challenges stay open in this process between sign-in and code.
 */
export async function createBrowserWorker(opts: BrowserWorkerOptions): Promise<BrowserWorker> {
  const { config } = opts;
  // Read once, at start: a bad file stops the worker with the file and entry named, not each sign-in later.
  const credentialsFor = portalCredentialsFromConfig(config);
  const browser = new PortalBrowser({
    executablePath: opts.chromiumPath,
    baseUrl: config.CLIO_BASE_URL,
    driftDir: path.resolve(config.DATA_DIR, 'portal-drift'),
  });
  const challenges = new SignInChallenges(Math.max(config.MFA_WAIT_MINUTES * 2, 30) * 60_000);
  // Worker-specific queue: the code for a challenge this process holds must come back to this process.
  const hostQueue = `${TASK_QUEUES.clioBrowser}-${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const activities = createClioBrowserActivities({
    browser,
    challenges,
    store: opts.store,
    hostQueue,
    // A tenant without a web-app user of its own (connected through OAuth, say) must not be signed in as another
    // firm's user: its session fails, saying so.
    credentials: (tenant) => {
      const creds = credentialsFor(tenant);
      if (!creds)
        throw ApplicationFailure.nonRetryable(
          `No Clio web-app credentials are configured for tenant ${tenant} (CLIO_PORTAL_CREDENTIALS_FILE)`,
          'NoPortalCredentials',
        );
      return creds;
    },
  });
  const common = {
    connection: opts.connection,
    namespace: config.TEMPORAL_NAMESPACE,
    maxConcurrentActivityTaskExecutions: config.BROWSER_CONCURRENCY,
    shutdownGraceTime: `${opts.shutdownGraceSeconds} seconds`,
    shutdownForceTime: `${opts.shutdownGraceSeconds + 5} seconds`,
    dataConverter: opts.dataConverter,
    activities,
  } as const;
  const workers = [
    await Worker.create({ ...common, taskQueue: TASK_QUEUES.clioBrowser }),
    await Worker.create({ ...common, taskQueue: hostQueue }),
  ];
  return {
    workers,
    async close() {
      await challenges.closeAll();
      await browser.close();
    },
  };
}
