/**
 * Run before `npm start` and `npm test`: finds or installs what Node packages cannot bring (the Temporal CLI,
 * the time-skipping test server for tests, Chromium), and stops with one sentence when it cannot.
 */
import {
  ensureChromium,
  ensureTemporalCli,
  ensureTemporalTestServer,
  ToolchainError,
} from '../src/dev/toolchain';

const forTests = process.argv.includes('--test');
try {
  ensureTemporalCli();
  if (forTests) ensureTemporalTestServer();
  ensureChromium();
} catch (err) {
  if (err instanceof ToolchainError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
