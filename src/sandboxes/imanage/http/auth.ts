import { type RequestHandler, type Response } from 'express';
import { CUSTOMER_ID, LIBRARY, type SandboxUser, findUserById } from '../config';
import { forbidden, notFound, unauthorized } from '../errors';
import { type Db } from '../state/db';
import { lookupToken } from '../state/tokens-repo';

/** iManage clients send the raw access token in X-Auth-Token; nothing else authenticates. */
export function requireToken(db: Db): RequestHandler {
  return (req, res, next) => {
    const token = req.get('x-auth-token');
    if (!token)
      throw unauthorized('UNAUTHORIZED', 'Authentication required: send the access token in X-Auth-Token.');
    const found = lookupToken(db, token, 'access');
    if (found.status === 'expired') throw unauthorized('TOKEN_EXPIRED', 'The access token has expired.');
    const user = found.status === 'valid' ? findUserById(found.userId) : undefined;
    if (!user) throw unauthorized('UNAUTHORIZED', 'The access token is not valid.');
    res.locals.user = user;
    next();
  };
}

export function currentUser(res: Response): SandboxUser {
  return res.locals.user as SandboxUser;
}

export const requireWriter: RequestHandler = (_req, res, next) => {
  if (currentUser(res).role !== 'admin') throw forbidden('The user may read this library but not change it.');
  next();
};

/**
 * One customer and one library exist; the library name is case-insensitive, as in iManage. Customer-level
 * routes have no library in the path.
 */
export const checkLibrary: RequestHandler = (req, _res, next) => {
  const { cid, lib } = req.params as { cid?: string; lib?: string };
  if (cid !== CUSTOMER_ID) throw notFound(`Customer '${cid}'`);
  if (lib !== undefined && lib.toUpperCase() !== LIBRARY) throw notFound(`Library '${lib}'`);
  next();
};

/** Customer-level searches take `libraries=A,B`; when it leaves ours out, nothing can match. */
export const libraryListFilter: RequestHandler = (req, res, next) => {
  const raw = req.query.libraries;
  if (typeof raw !== 'string') return next();
  const wanted = raw.split(',').map((l) => l.trim().toUpperCase());
  if (wanted.includes(LIBRARY)) return next();
  res.json(
    req.query.total === 'true' ? { data: { results: [] }, total_count: 0 } : { data: { results: [] } },
  );
};

/**
 * `effective_security` is the caller's own access, not the object's: a viewer, who may read but never write, is
 * told `read` where the library's admin is told `full_access`. Stored profiles hold the admin's view.
 */
export const asCallerSees: RequestHandler = (_req, res, next) => {
  const json = res.json.bind(res);
  res.json = (body: unknown) => json(currentUser(res)?.role === 'admin' ? body : readOnlyView(body));
  next();
};

function readOnlyView(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(readOnlyView);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === 'effective_security' && v !== 'no_access' ? 'read' : readOnlyView(v),
    ]),
  );
}
