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
 * Ctrl-C in a terminal signals the whole foreground process group, and npm (`npm start`, `npm run api`) forwards
 * the signal it got to its child as well: the child gets the same signal twice within milliseconds. A signal that
 * comes this soon after the first is that echo, not a person asking again.
 */
export const SIGNAL_ECHO_MS = 1000;

/**
 * SIGINT/SIGTERM: `first` on the first; `again` on one that comes later than SIGNAL_ECHO_MS after it (someone
 * pressing Ctrl-C again to get out now). Echoes of the first are ignored.
 */
export function onStopSignals(
  first: (signal: NodeJS.Signals) => void,
  again: (signal: NodeJS.Signals) => void,
): void {
  let firstAt: number | undefined;
  const handler = (signal: NodeJS.Signals) => {
    if (firstAt === undefined) {
      firstAt = performance.now();
      first(signal);
    } else if (performance.now() - firstAt >= SIGNAL_ECHO_MS) {
      again(signal);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

/**
 * Runs `stop` once on SIGINT/SIGTERM; a second signal while stopping exits at once. With `limitMs`, a stop that
 * has not finished by then (an activity that ignores cancellation, a connection that never closes) ends the
 * process with one line and exit 1, rather than waiting for an orchestrator's kill.
 */
export function onShutdownSignal(stop: () => Promise<void>, limitMs?: number): void {
  onStopSignals(
    () => {
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
    },
    (signal) => {
      process.stderr.write(`Received ${signal} again; exiting now.\n`);
      process.exit(130);
    },
  );
}
