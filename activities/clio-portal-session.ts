import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { PortalClient, PortalSessionExpiredError, type PortalPaths } from '../src/integrations/clio-portal';
import { createSessionLink, type SessionLink } from '../src/sessions/session-link';
import { type SessionStore } from '../src/sessions/session-store';
import { type SessionSettings } from '../workflows/shared/session-messages';
import { toPortalFailure } from './shared/portal-failures';

export interface PortalSessionDeps {
  store: SessionStore;
  portal: { baseUrl: string; paths: PortalPaths };
  settings: SessionSettings;
  /** Tests inject one; otherwise the worker's own client (from the activity context) is used. */
  link?: SessionLink;
}

/** How soon to look again for fresh session material after reporting an expiry or starting a session. */
const SESSION_WAIT = '2 seconds';

/**
 * Runs `fn` with a portal client on the tenant's newest stored session. A 401 or a redirect to sign-in is
 * reported to the session workflow with the generation used (stale reports are ignored there, so many callers
 * cause one sign-in), and the activity retries once fresh material is stored; a failed session ends it.
 */
export async function withPortalSession<T>(
  deps: PortalSessionDeps,
  tenant: string,
  fn: (client: PortalClient) => Promise<T>,
): Promise<T> {
  const link = deps.link ?? createSessionLink(Context.current().client, deps.settings);
  const stored = await deps.store.loadMaterial(tenant);
  if (!stored) {
    await link.ensure(tenant);
    await failIfSessionFailed(link, tenant);
    throw ApplicationFailure.create({
      message: 'The Clio portal session is not signed in yet',
      type: 'PortalSessionNotReady',
      nextRetryDelay: SESSION_WAIT,
    });
  }
  try {
    return await fn(new PortalClient({ ...deps.portal, material: stored.material }));
  } catch (err) {
    if (!(err instanceof PortalSessionExpiredError)) throw toPortalFailure(err);
    await link.reportExpired(tenant, stored.generation);
    await failIfSessionFailed(link, tenant);
    throw ApplicationFailure.create({
      message: err.message,
      type: 'PortalSessionExpired',
      nextRetryDelay: SESSION_WAIT,
    });
  }
}

/** A failed session needs a person (credentials, page objects): waiting for it would only burn retries. */
async function failIfSessionFailed(link: SessionLink, tenant: string): Promise<void> {
  const state = await link.state(tenant);
  if (state?.state === 'failed') {
    throw ApplicationFailure.nonRetryable(
      `The Clio portal session failed: ${state.reason ?? 'unknown reason'}`,
      'PortalSessionFailed',
    );
  }
}

export const PortalRequestSchema = z.object({
  tenant: z.string().min(1),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  path: z.string().startsWith('/'),
  body: z.unknown().optional(),
});
export type PortalRequest = z.infer<typeof PortalRequestSchema>;

/** Portal activities for workflows: calls of the internal JSON endpoints over the shared session. */
export function createClioPortalActivities(deps: PortalSessionDeps) {
  return {
    /** One internal JSON call; its answer is returned as the portal sent it (callers parse what they need). */
    async portalRequest(input: PortalRequest): Promise<unknown> {
      const req = PortalRequestSchema.parse(input);
      return withPortalSession(deps, req.tenant, (client) =>
        client.request(req.method, req.path, z.unknown(), req.body),
      );
    },
  };
}
