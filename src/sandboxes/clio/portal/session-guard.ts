import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Session } from './auth-store';
import { currentSession, SIGNIN_PATH, type PortalContext } from './portal-context';

export const sessionOf = (res: Response): Session => res.locals.portalSession as Session;

/** App pages: no live session → back to sign-in, as a browser would be sent. */
export function requirePageSession(ctx: PortalContext): RequestHandler {
  return (req, res, next) => {
    const session = currentSession(ctx, req);
    if (!session) return res.redirect(302, `${SIGNIN_PATH}?return_to=${encodeURIComponent(req.originalUrl)}`);
    res.locals.portalSession = session;
    next();
  };
}

const sameToken = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Internal JSON endpoints: no live session → 401 JSON (a script cannot follow a sign-in redirect);
 * every write needs the session's CSRF token in X-CSRF-Token, as the portal's own scripts send it.
 */
export function requireApiSession(ctx: PortalContext): RequestHandler {
  return (req, res, next) => {
    const session = currentSession(ctx, req);
    if (!session) {
      res
        .status(401)
        .json({ error: { type: 'Unauthorized', message: 'Sign in to continue (no live session)' } });
      return;
    }
    if (
      req.method !== 'GET' &&
      req.method !== 'HEAD' &&
      !sameToken(req.header('x-csrf-token') ?? '', session.csrf)
    ) {
      res
        .status(403)
        .json({ error: { type: 'InvalidAuthenticityToken', message: 'Missing or wrong X-CSRF-Token' } });
      return;
    }
    res.locals.portalSession = session;
    next();
  };
}
