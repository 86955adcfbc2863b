import path from 'node:path';
import { type Logger } from '../logging/logger';
import { createClioSandbox } from '../sandboxes/clio';
import { createIManageSandbox } from '../sandboxes/imanage';

/** Both sandboxes, persisted under the data folder so a restart keeps what earlier runs wrote. */
export async function startSandboxes(opts: {
  dataDir: string;
  host: string;
  clioPort: number;
  imanagePort: number;
  logger: Logger;
}): Promise<{ stop: () => Promise<void> }> {
  const clio = createClioSandbox({
    dbFile: path.join(opts.dataDir, 'clio-sandbox.db'),
    logger: opts.logger.child({ component: 'clio-sandbox' }),
  });
  const imanage = createIManageSandbox({
    dbFile: path.join(opts.dataDir, 'imanage-sandbox.db'),
    logger: opts.logger.child({ component: 'imanage-sandbox' }),
  });
  await clio.listen(opts.clioPort, opts.host);
  await imanage.listen(opts.imanagePort, opts.host);
  return {
    async stop() {
      await Promise.all([clio.close(), imanage.close()]);
    },
  };
}
