import type { RequestHandler } from 'express';
import { ClioError } from './errors';

/**
 * Minor versions this emulator serves. Clio's document lists 4.0.0–4.0.10 with 4.0.9 as default; the
 * earliest three are treated as retired here (Clio does not publish which are), so a client pinned
 * to them sees the 410 it would see once Clio retires a version.
 */
export const DEFAULT_API_VERSION = '4.0.9';
const SUPPORTED = new Set(['4.0.3', '4.0.4', '4.0.5', '4.0.6', '4.0.7', '4.0.8', '4.0.9', '4.0.10']);

export interface ApiVersion {
  raw: string;
  patch: number;
}

export const parseVersion = (raw: string): ApiVersion => ({ raw, patch: Number(raw.split('.')[2]) });

/** Before 4.0.4 activity quantities are hours, not seconds. */
export const quantityInHours = (v: ApiVersion): boolean => v.patch < 4;

export const apiVersionMiddleware: RequestHandler = (req, res, next) => {
  const header = req.header('x-api-version');
  const raw = header === undefined || header.trim() === '' ? DEFAULT_API_VERSION : header.trim();
  if (!SUPPORTED.has(raw)) {
    next(new ClioError(410, 'Gone', `API version "${raw}" is malformed or no longer supported`));
    return;
  }
  res.locals.apiVersion = parseVersion(raw);
  res.setHeader('X-API-VERSION', raw);
  next();
};
