import { log } from '@temporalio/activity';
import { PortalClient, type PortalPaths } from '../src/integrations/clio-portal';
import { type SessionStore } from '../src/sessions/session-store';

export interface SessionEvent {
  tenant: string;
  event: 'session.mfa_required' | 'session.failed';
  generation: number;
  reason?: string;
  [detail: string]: unknown;
}

/**
 * Where session events go beyond the log: the webhook dispatcher implements this (POST to subscribers of the
 * event) once webhooks exist. It receives no secret; events name the tenant, the state and why.
 */
export interface SessionNotifier {
  notify(event: SessionEvent): Promise<void>;
}

export const logOnlyNotifier: SessionNotifier = { notify: () => Promise.resolve() };

export interface ClioSessionSupportDeps {
  store: SessionStore;
  notifier: SessionNotifier;
  portal: { baseUrl: string; paths: PortalPaths };
}

/** Session housekeeping on the main worker, next to the session workflow: health checks and notifications. */
export function createClioSessionActivities(deps: ClioSessionSupportDeps) {
  return {
    async notifySessionEvent(event: SessionEvent): Promise<void> {
      if (event.event === 'session.failed') log.error('Clio portal session failed', event);
      else log.warn('Clio portal session needs an MFA code', event);
      await deps.notifier.notify(event);
    },

    /** Plain HTTP with the stored cookies: is this generation's session still signed in? */
    async checkPortalSession(input: { tenant: string; generation: number }): Promise<{ signedIn: boolean }> {
      const stored = await deps.store.loadMaterial(input.tenant, input.generation);
      if (!stored) return { signedIn: false };
      const client = new PortalClient({ ...deps.portal, material: stored.material });
      return { signedIn: await client.isSignedIn() };
    },
  };
}
