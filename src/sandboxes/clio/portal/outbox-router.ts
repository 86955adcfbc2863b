import { Router } from 'express';
import { loopbackOnly } from '../http/loopback-only';
import type { PortalContext } from './portal-context';

/** GET /_sandbox/outbox: the SMS codes "sent" to users, newest last (the contract's control). */
export function outboxRouter(ctx: PortalContext): Router {
  const router = Router();
  router.get('/_sandbox/outbox', loopbackOnly, (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ messages: ctx.auth.outbox() });
  });
  return router;
}
