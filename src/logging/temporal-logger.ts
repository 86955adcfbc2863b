import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogLevel } from '@temporalio/worker';
import { type Logger } from './logger';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Routes the Temporal runtime's logs (Rust core, workers, workflow and activity `log` calls, which carry
 * workflowId/runId/activity context) into the service's pino logger. The runtime is a process singleton,
 * so a second call keeps the first installation.
 */
export function installTemporalRuntime(logger: Logger, opts: { metricsBindAddress?: string } = {}): void {
  const temporalLogger = new DefaultLogger('INFO', (entry) => {
    const { message, level, meta } = entry;
    logger[LEVELS[level]]({ ...meta, component: 'temporal' }, message);
  });
  try {
    Runtime.install({
      logger: temporalLogger,
      // The launcher owns shutdown order (API, then workers, then server): no signal handling here.
      shutdownSignals: [],
      telemetryOptions: {
        logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }) },
        ...(opts.metricsBindAddress
          ? { metrics: { prometheus: { bindAddress: opts.metricsBindAddress } } }
          : {}),
      },
    });
  } catch (err) {
    // Only "installed before" is expected; a metrics port in use ("Address already in use") is not.
    if (!(err instanceof Error && /singleton has already been/i.test(err.message))) throw err;
  }
}
