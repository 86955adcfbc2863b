import type { Router } from 'express';
import { growRouter } from '../grow/grow-router';
import { inboxRouter } from '../grow/inbox-router';
import type { SandboxState } from '../state/sandbox-state';
import { appPagesRouter } from './app-pages-router';
import { billingRoutes } from './internal/billing-routes';
import { growRoutes } from './internal/grow-routes';
import { internalRouter } from './internal/internal-router';
import { trustRoutes } from './internal/trust-routes';
import { outboxRouter } from './outbox-router';
import { portalContextFor, type PortalOptions } from './portal-setup';
import { signinRouter } from './signin-router';

export type { PortalOptions } from './portal-setup';

type RouterFactory = (state: SandboxState) => Router;

/** The Clio web portal (sign-in, MFA, app pages, internal JSON) and Clio Grow, as sandbox routers. */
export function createPortalRouters(opts: PortalOptions = {}): RouterFactory[] {
  const ctxFor = (state: SandboxState) => portalContextFor(state, opts);
  return [
    (state) => outboxRouter(ctxFor(state)),
    (state) => signinRouter(ctxFor(state)),
    (state) => appPagesRouter(ctxFor(state)),
    (state) => internalRouter(ctxFor(state), [billingRoutes, trustRoutes, growRoutes]),
    (state) => {
      ctxFor(state);
      return inboxRouter(state);
    },
    (state) => {
      ctxFor(state);
      return growRouter(state);
    },
  ];
}

export const portalRouters: RouterFactory[] = createPortalRouters();

/**
 * `GET /_sandbox/outbox` alone, to mount beside the other `/_sandbox` controls, before the fault
 * middleware (a control must answer even while faults are injected). It is also in `portalRouters`,
 * where it works but sits behind the faults.
 */
export const portalControlRouter: RouterFactory = (state) => outboxRouter(portalContextFor(state, {}));
