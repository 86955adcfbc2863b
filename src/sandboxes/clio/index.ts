import type { Server } from 'node:http';
import express, { type Router } from 'express';
import pino, { type Logger } from 'pino';
import { apiRouter } from './api/api-router';
import { blobRouter } from './api/document-files';
import { createUploadSigner } from './api/document-urls';
import { WebhookDispatcher } from './api/webhook-dispatcher';
import { controlRouter } from './control/control-router';
import { portalControlRouter, portalRouters } from './portal';
import { errorHandler } from './http/errors';
import { faultMiddleware } from './http/fault-middleware';
import { createRateLimit } from './http/rate-limit';
import { statsMiddleware } from './http/stats-middleware';
import { stripJsonSuffix } from './http/strip-json-suffix';
import { oauthRouter } from './oauth/oauth-router';
import { TokenStore } from './oauth/token-store';
import { applySeed } from './seed/apply-seed';
import { openDb } from './state/db';
import { RecordStore } from './state/record-store';
import { SandboxState } from './state/sandbox-state';

export interface ClioSandboxOptions {
  /** SQLite file; default ':memory:'. A path persists across restarts. */
  dbFile?: string;
  /** Seed of the generated firm; default 1. Same seed, same data. */
  seed?: number;
  logger?: Logger;
  /**
   * Routers built on the same state, mounted before the API (the portal and Grow add theirs here).
   * Not part of the required interface; optional.
   */
  routers?: ((state: SandboxState) => Router)[];
  /** First webhook retry delay (doubles per attempt); default 1000 ms. Tests shorten it. */
  webhookRetryBaseMs?: number;
}

export interface ClioSandbox {
  app: express.Express;
  /** Resolves the bound port; port 0 picks a free one. */
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
  reset(): void;
  /** The shared state, for routers and tests in this folder. */
  state: SandboxState;
}

export function createClioSandbox(opts: ClioSandboxOptions = {}): ClioSandbox {
  const logger = opts.logger ?? pino({ level: 'silent' });
  const seed = opts.seed ?? 1;
  const db = openDb(opts.dbFile ?? ':memory:');
  const store = new RecordStore(db);
  // Seed only a new database: a persisted firm keeps its changes across restarts.
  if (store.getMeta('seed') === undefined) applySeed(store, seed);
  const state = new SandboxState(db, store, Number(store.getMeta('seed') ?? seed), logger);
  const tokens = new TokenStore(db);
  state.onReset(() => tokens.restorePreIssued());
  const rateLimit = createRateLimit(state);
  const signer = createUploadSigner();
  const dispatcher = new WebhookDispatcher(state, opts.webhookRetryBaseMs);

  const app = express();
  app.disable('x-powered-by');
  // Clio sends ETags on single records only (respond.ts sets them); Express's own would tag lists too and answer
  // them 304, which Clio's OpenAPI document lists for no list operation.
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(stripJsonSuffix);
  app.use(controlRouter(state));
  // The SMS outbox is a control too: reachable even while faults are injected. (Callers passing their own
  // routers, e.g. a portal with a test clock, bring their own outbox with them.)
  if (!opts.routers) app.use(portalControlRouter(state));
  app.use(statsMiddleware(state));
  app.use(faultMiddleware(state));
  // The web portal and Clio Grow are part of the default sandbox; tests may pass their own (e.g. with a clock).
  for (const build of opts.routers ?? portalRouters) app.use(build(state));
  app.use(oauthRouter(state, tokens));
  app.use(blobRouter(state, signer));
  app.use('/api/v4', rateLimit.middleware, apiRouter(state, { tokens, signer, dispatcher }));
  app.use(errorHandler(logger));

  let server: Server | undefined;
  return {
    app,
    state,
    reset: () => state.reset(),
    listen: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        const s = app.listen(port, host, (err?: Error) => {
          if (err) return reject(err);
          const address = s.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
        server = s;
      }),
    close: () =>
      new Promise((resolve) => {
        rateLimit.shutdown();
        dispatcher.stop();
        const finish = (): void => {
          if (db.open) db.close();
          resolve();
        };
        if (!server) return finish();
        server.close(() => finish());
        server.closeAllConnections();
      }),
  };
}
