import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import express, { type Express, type Request, type RequestHandler, type Router } from 'express';
import { type Principal } from '../../src/api/auth/principal';
import { errorHandler } from '../../src/api/middleware/error-handler';

export interface LocalServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close: () => Promise<void>;
}

/** An app on a free loopback port. */
export async function serveLocally(app: Express): Promise<LocalServer> {
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const quiet = () => undefined;

/**
 * One of the API's routers behind what the app gives it (JSON bodies, the caller, the error handler), without
 * authentication: each request is the `caller`'s. `accessLog` stands in front (pino-http); without one, requests
 * get a logger that writes nothing, as the error handler needs one.
 */
export function routerApp(
  router: Router,
  caller: (req: Request) => Principal,
  opts: { accessLog?: RequestHandler } = {},
): Express {
  const app = express();
  if (opts.accessLog) app.use(opts.accessLog);
  app.use(express.json());
  app.use((req, _res, next) => {
    req.principal = caller(req);
    if (!opts.accessLog)
      (req as unknown as { log: unknown }).log = { info: quiet, warn: quiet, error: quiet };
    next();
  });
  app.use(router);
  app.use(errorHandler);
  return app;
}
