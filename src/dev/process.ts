import { ConfigError, type Config } from '../config';

/** Parses config, or stops the process with one message listing every invalid variable. */
export function exitOnConfigError(load: () => Config): Config {
  try {
    return load();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

/**
 * Runs `stop` once on SIGINT/SIGTERM; a second signal while stopping exits at once. With `limitMs`, a stop that
 * has not finished by then (an activity that ignores cancellation, a connection that never closes) ends the
 * process with one line and exit 1, rather than waiting for an orchestrator's kill.
 */
export function onShutdownSignal(stop: () => Promise<void>, limitMs?: number): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`Received ${signal} again; exiting now.\n`);
      process.exit(130);
    }
    stopping = true;
    if (limitMs !== undefined) {
      setTimeout(() => {
        process.stderr.write(`Shutdown did not finish within ${Math.ceil(limitMs / 1000)} s; exiting.\n`);
        process.exit(1);
      }, limitMs).unref();
    }
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`Shutdown failed: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
