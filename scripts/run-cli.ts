import { z } from 'zod';

/**
 * Runs a command-line script's `main`: what it resolves to is the exit code (set, not forced with exit(), so
 * output piped elsewhere is written in full). A failure prints one line, the message only (a driver error's
 * full object can echo connection settings; a stack trace helps no operator), and exits 2.
 */
export function runCli(name: string, main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (error: unknown) => {
      const message =
        error instanceof z.ZodError
          ? z.prettifyError(error)
          : error instanceof Error
            ? error.message
            : String(error);
      console.error(`${name} failed: ${message}`);
      process.exitCode = 2;
    },
  );
}
