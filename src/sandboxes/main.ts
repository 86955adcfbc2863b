/** `npm run sandbox`: both sandboxes alone, on the ports of CLIO_BASE_URL and IMANAGE_BASE_URL, persisted under DATA_DIR. */
import path from 'node:path';
import { loadConfig } from '../config';
import { exitOnConfigError, onShutdownSignal } from '../dev/process';
import { startSandboxes } from '../dev/sandboxes';
import { createLogger } from '../logging/logger';

async function main(): Promise<void> {
  const config = exitOnConfigError(loadConfig);
  if (!config.sandboxMode) {
    process.stderr.write('The sandboxes never run with NODE_ENV=production.\n');
    process.exit(1);
  }
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'sandboxes' });
  const clio = new URL(config.CLIO_BASE_URL);
  const imanage = new URL(config.IMANAGE_BASE_URL);
  const sandboxes = await startSandboxes({
    dataDir: path.resolve(config.DATA_DIR),
    host: clio.hostname,
    clioPort: Number(clio.port),
    imanagePort: Number(imanage.port),
    logger,
  });
  process.stdout.write(
    `Clio sandbox     ${config.CLIO_BASE_URL}\niManage sandbox  ${config.IMANAGE_BASE_URL}\n`,
  );
  onShutdownSignal(() => sandboxes.stop());
}

void main();
