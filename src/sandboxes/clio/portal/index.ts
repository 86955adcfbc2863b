import type { Router } from 'express';
import type { SandboxState } from '../state/sandbox-state';
import { appPagesRouter } from './app-pages-router';
import { billingRoutes } from './internal/billing-routes';
import { internalRouter } from './internal/internal-router';
import { trustRoutes } from './internal/trust-routes';
import { outboxRouter } from './outbox-router';
import { portalContextFor, type PortalOptions } from './portal-setup';
import { signinRouter } from './signin-router';

export type { PortalOptions } from './portal-setup';

/** The Clio web portal (sign-in, MFA, app pages, internal JSON) and Clio Grow, as sandbox routers. */
export function createPortalRouters(opts: PortalOptions = {}): ((state: SandboxState) => Router)[] {
  return [
    (state) => outboxRouter(portalContextFor(state, opts)),
    (state) => signinRouter(portalContextFor(state, opts)),
    (state) => appPagesRouter(portalContextFor(state, opts)),
    (state) => internalRouter(portalContextFor(state, opts), [billingRoutes, trustRoutes]),
  ];
}

export const portalRouters: ((state: SandboxState) => Router)[] = createPortalRouters();
