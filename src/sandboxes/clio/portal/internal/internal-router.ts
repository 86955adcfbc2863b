import express, { Router } from 'express';
import type { PortalContext } from '../portal-context';
import { requireApiSession, sessionOf } from '../session-guard';
import { portalErrorHandler } from './portal-error';

/** A group of internal endpoints, mounted under /internal behind the session and CSRF checks. */
export type InternalRoutes = (router: Router, ctx: PortalContext) => void;

/**
 * The portal's internal JSON API: what the app pages' scripts call, and what only a signed-in browser
 * session can do (Clio's public API cannot generate bills, apply trust, convert Grow matters...).
 */
export function internalRouter(ctx: PortalContext, groups: InternalRoutes[]): Router {
  const outer = Router();
  const router = Router();
  router.use(requireApiSession(ctx), express.json({ limit: '256kb' }));
  router.get('/session', (_req, res) => {
    const s = sessionOf(res);
    const user = ctx.state.store.get('users', s.userId);
    res.json({
      user: { id: s.userId, name: user?.name, email: user?.email },
      keepSignedIn: s.keep,
      createdAt: new Date(s.createdAt).toISOString(),
      csrfToken: s.csrf,
    });
  });
  for (const group of groups) group(router, ctx);
  router.use(portalErrorHandler(ctx.state.logger));
  outer.use('/internal', router);
  return outer;
}
