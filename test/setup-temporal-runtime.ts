import { DefaultLogger, Runtime } from '@temporalio/worker';

// Tests show only errors from the Temporal runtime (workers print state changes at INFO).
try {
  Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
} catch {
  // Already installed by an earlier test file in this jest worker process.
}
