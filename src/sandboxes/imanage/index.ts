import express, { type Express } from 'express';
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Logger } from 'pino';
import { DEFAULT_PUBLIC_URL } from './config';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { FaultState } from './http/faults';
import { requestLog } from './http/request-log';
import { createRouteKit } from './http/route-kit';
import { Stats } from './http/stats';
import { registerControlRoutes } from './routes/control-routes';
import { registerCustomsRoutes } from './routes/customs-routes';
import { registerDiscoveryRoute } from './routes/discovery-route';
import { registerDocumentsRoutes } from './routes/documents-routes';
import { registerFoldersRoutes } from './routes/folders-routes';
import { registerOAuthRoutes } from './routes/oauth-routes';
import { registerWorkspacesRoutes } from './routes/workspaces-routes';
import { getMeta, openDb, setMeta } from './state/db';
import { createLinks } from './state/links';
import { writeSeed } from './state/seed';
import { type Store } from './state/store';

export interface IManageSandboxOptions {
  /** SQLite file; default ':memory:'. A path persists across restarts and is seeded only when new. */
  dbFile?: string;
  /** Seed of the deterministic data (default 1): the same seed gives the same dump. */
  seed?: number;
  logger?: Logger;
  /** Base of the `iwl` and web links in profiles (default http://127.0.0.1:4020, the contract's address). */
  publicUrl?: string;
}

export interface IManageSandbox {
  app: Express;
  /** Resolves to the bound port; 0 picks a free one. */
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
  /** Back to the seeded state; faults and stats cleared; issued tokens stay valid. */
  reset(): void;
}

export function createIManageSandbox(opts: IManageSandboxOptions = {}): IManageSandbox {
  const seed = opts.seed ?? 1;
  const logger = opts.logger;
  const db = openDb(opts.dbFile ?? ':memory:');
  const store: Store = { db, links: createLinks(opts.publicUrl ?? DEFAULT_PUBLIC_URL) };
  if (getMeta(db, 'seed') === undefined) {
    db.transaction(() => {
      writeSeed(db, seed);
      setMeta(db, 'seed', String(seed));
    })();
  }
  const faults = new FaultState(seed);
  const stats = new Stats();
  const reset = (): void => {
    db.transaction(() => writeSeed(db, seed))();
    faults.reset();
    stats.reset();
    logger?.info('iManage sandbox reset to seed');
  };

  const app = express();
  app.disable('x-powered-by');
  app.use(stats.middleware());
  app.use(requestLog(logger));
  app.use(express.json({ limit: '5mb' }));
  // Form fields only where iManage takes them, its OAuth endpoints; the Work API's writes take JSON.
  app.use('/auth/oauth2', express.urlencoded({ extended: false }));
  registerControlRoutes(app, { store, faults, stats, reset });
  const kit = createRouteKit(app, db, faults);
  registerOAuthRoutes(kit, db, faults);
  registerDiscoveryRoute(kit);
  registerCustomsRoutes(kit, store);
  registerWorkspacesRoutes(kit, store);
  registerFoldersRoutes(kit, store);
  registerDocumentsRoutes(kit, store);
  app.use(notFoundHandler);
  app.use(errorHandler(logger));

  const servers = new Set<http.Server>();
  let closed = false;
  return {
    app,
    reset,
    listen: (port, host = '127.0.0.1') =>
      new Promise<number>((resolve, reject) => {
        const server = http.createServer(app);
        server.once('error', reject);
        server.listen(port, host, () => {
          servers.add(server);
          const bound = (server.address() as AddressInfo).port;
          logger?.info({ host, port: bound }, 'iManage sandbox listening');
          resolve(bound);
        });
      }),
    close: async () => {
      if (closed) return;
      closed = true;
      await Promise.all(
        [...servers].map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              // Keep-alive sockets would hold close() open (and jest with it).
              server.closeAllConnections();
            }),
        ),
      );
      faults.rateStore.shutdown();
      db.close();
    },
  };
}
