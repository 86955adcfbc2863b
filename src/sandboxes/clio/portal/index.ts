import type { Router } from 'express';
import { growRouter } from '../grow/grow-router';
import { seedGrow } from '../grow/grow-seed';
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

/** The Clio web portal (sign-in, MFA, app pages, internal JSON) and Clio Grow, as sandbox routers. */
export function createPortalRouters(opts: PortalOptions = {}): ((state: SandboxState) => Router)[] {
  // The 50 Grow leads are seeded with the portal's context: once on a new store and after each reset.
  const options: PortalOptions = {
    ...opts,
    onSeed: (ctx) => {
      seedGrow(ctx.state);
      opts.onSeed?.(ctx);
    },
  };
  const ctxFor = (state: SandboxState) => portalContextFor(state, options);
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

export const portalRouters: ((state: SandboxState) => Router)[] = createPortalRouters();
