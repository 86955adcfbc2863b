import { type Express, type RequestHandler } from 'express';
import { badRequest } from '../errors';
import { type Db } from '../state/db';
import { asCallerSees, checkLibrary, libraryListFilter, requireToken, requireWriter } from './auth';
import { type FaultState, commitThenDrop, errorInjection, latency, rateLimiter } from './faults';

export type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

/** Integrators use both roots for the same resources (the `web` one mostly for upload and download). */
const API_ROOTS = ['/work/api/v2', '/work/web/api/v2'];
const LIBRARY_ROOTS = API_ROOTS.map((p) => `${p}/customers/:cid/libraries/:lib`);
const CUSTOMER_ROOTS = API_ROOTS.map((p) => `${p}/customers/:cid`);

export interface RouteKit {
  /** Routes without authentication (OAuth token endpoint). */
  open(method: Method, path: string, ...handlers: RequestHandler[]): void;
  /** Routes that need X-Auth-Token but live outside a library (discovery). */
  authed(method: Method, path: string, ...handlers: RequestHandler[]): void;
  /** Routes under `.../customers/{cid}/libraries/{lib}`; writes need a writer and may be commit-then-dropped. */
  library(method: Method, subPath: string, ...handlers: RequestHandler[]): void;
  /** A POST that only reads (searches): neither writer-only nor ever commit-then-dropped. */
  libraryRead(method: Method, subPath: string, ...handlers: RequestHandler[]): void;
  /** Read-only searches across libraries under `.../customers/{cid}` (one library exists here). */
  customer(method: Method, subPath: string, ...handlers: RequestHandler[]): void;
}

/** Work API bodies are JSON (uploads multipart); a form or text body is refused, not read as nothing. */
const jsonBody: RequestHandler = (req, _res, next) => {
  if (req.is(['application/json', 'multipart/form-data']) === false)
    throw badRequest('The request body must be application/json.', [
      { field: 'content-type', code: 'UNSUPPORTED_MEDIA_TYPE', code_message: 'Send JSON.' },
    ]);
  next();
};

/**
 * Every API route is registered with the fault chain in front, one route per path, so faulted answers are
 * still counted under their route template in the stats.
 */
export function createRouteKit(app: Express, db: Db, faults: FaultState): RouteKit {
  const faultChain = [latency(faults), rateLimiter(faults), errorInjection(faults)];
  const auth = requireToken(db);
  const drop = commitThenDrop(faults);
  const add = (method: Method, path: string, handlers: RequestHandler[]): void => {
    app[method](path, ...faultChain, ...handlers);
  };
  return {
    open: (method, path, ...handlers) => add(method, path, handlers),
    authed: (method, path, ...handlers) => add(method, path, [auth, ...handlers]),
    library: (method, subPath, ...handlers) => {
      const guards =
        method === 'get'
          ? [auth, checkLibrary, asCallerSees]
          : [auth, checkLibrary, requireWriter, jsonBody, drop, asCallerSees];
      for (const root of LIBRARY_ROOTS) add(method, `${root}${subPath}`, [...guards, ...handlers]);
    },
    libraryRead: (method, subPath, ...handlers) => {
      for (const root of LIBRARY_ROOTS)
        add(method, `${root}${subPath}`, [auth, checkLibrary, jsonBody, asCallerSees, ...handlers]);
    },
    customer: (method, subPath, ...handlers) => {
      for (const root of CUSTOMER_ROOTS) {
        const body = method === 'get' ? [] : [jsonBody];
        add(method, `${root}${subPath}`, [
          auth,
          checkLibrary,
          ...body,
          libraryListFilter,
          asCallerSees,
          ...handlers,
        ]);
      }
    },
  };
}
