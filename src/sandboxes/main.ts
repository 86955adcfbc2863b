/** `npm run sandbox`: both sandboxes alone, on the ports of CLIO_BASE_URL and IMANAGE_BASE_URL, persisted under DATA_DIR. */
import path from 'node:path';
import { loadConfig } from '../config';
import { exitOnConfigError, onShutdownSignal } from '../dev/process';
import { startSandboxes } from '../dev/sandboxes';
import { runEntry, startupStep } from '../dev/startup';
import { createLogger, type Logger } from '../logging/logger';

let logger: Logger | undefined;

async function main(): Promise<void> {
  const config = exitOnConfigError(loadConfig);
  if (!config.sandboxMode) {
    process.stderr.write('The sandboxes never run with NODE_ENV=production.\n');
    process.exit(1);
  }
  const log = createLogger({ level: config.LOG_LEVEL, name: 'sandboxes' });
  logger = log;
  const clio = new URL(config.CLIO_BASE_URL);
  const imanage = new URL(config.IMANAGE_BASE_URL);
  const sandboxes = await startupStep(
    () =>
      startSandboxes({
        dataDir: path.resolve(config.DATA_DIR),
        host: clio.hostname,
        clioPort: Number(clio.port),
        imanagePort: Number(imanage.port),
        logger: log,
      }),
    (err) => {
      const { code, port } = (err ?? {}) as { code?: unknown; port?: unknown };
      const [what, variable] =
        port === Number(imanage.port) && port !== Number(clio.port)
          ? ['iManage sandbox', 'IMANAGE_BASE_URL']
          : ['Clio sandbox', 'CLIO_BASE_URL'];
      const cannot = `Cannot start the ${what} on ${clio.host.replace(/:\d+$/, '')}:${String(port)}`;
      if (code === 'EADDRINUSE')
        return `${cannot}: the port is already in use; stop what uses it or set ${variable}.`;
      if (code === 'EACCES')
        return `${cannot}: not allowed to listen there (ports below 1024 need privileges); set ${variable}.`;
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
        return `Cannot start the sandboxes on ${clio.hostname}: not an address of this machine; set CLIO_BASE_URL and IMANAGE_BASE_URL.`;
      return undefined;
    },
  );
  process.stdout.write(
    `Clio sandbox     ${config.CLIO_BASE_URL}\niManage sandbox  ${config.IMANAGE_BASE_URL}\n`,
  );
  onShutdownSignal(() => sandboxes.stop());
}

runEntry(main, () => logger);
