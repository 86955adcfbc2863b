import { Context } from '@temporalio/activity';
import { ApplicationFailure, type Duration } from '@temporalio/common';
import { z } from 'zod';
import { PortalClient, PortalSessionExpiredError, type PortalPaths } from '../src/integrations/clio-portal';
import { createSessionLink, type SessionLink } from '../src/sessions/session-link';
import { sessionAccess, type SessionAccess } from '../src/sessions/session-access';
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

/** How soon to look again while the session signs in by itself (Chromium, TOTP), or after reporting an expiry. */
const SESSION_WAIT: Duration = '2 seconds';
/**
 * How soon to look again while the session waits for a person's MFA code. A person answers in minutes (an SMS code
 * lives 10), so looking every 2 seconds would only spend the activity's attempts and Temporal's history.
 */
const MFA_WAIT: Duration = '30 seconds';

/**
 * Runs `fn` with a portal client on the tenant's session, only while the session workflow says it is `active` and
 * with the cookies of the generation it names (`sessionAccess`, the same rule as the bill-PDF route): an ended or
 * failed session's cookies are never used, though Clio may accept them for hours.
 *
 * - no session: it is started; retryable `PortalSessionNotReady` (soon).
 * - signing in, checking a code, signing in again: retryable `PortalSessionNotReady` (soon).
 * - waiting for an MFA code: retryable `PortalSessionNotReady` every 30 s; the session itself gives up after its
 *   prompts (then failed).
 * - failed or ended: non-retryable `PortalSessionFailed`; it needs a person (POST …/session/retry).
 * - active without its cookies in the store, or Clio refuses them (401, redirect to sign-in): that generation is
 *   reported expired (stale reports are ignored there, so many callers cause one sign-in); retryable
 *   `PortalSessionExpired`.
 */
export async function withPortalSession<T>(
  deps: PortalSessionDeps,
  tenant: string,
  fn: (client: PortalClient) => Promise<T>,
): Promise<T> {
  const link = deps.link ?? createSessionLink(Context.current().client, deps.settings);
  const access = await sessionAccess({ link, store: deps.store }, tenant);
  if (access.kind !== 'usable') throw refused(access, tenant);
  try {
    return await fn(new PortalClient({ ...deps.portal, material: access.material }));
  } catch (err) {
    if (!(err instanceof PortalSessionExpiredError)) throw toPortalFailure(err);
    await link.reportExpired(tenant, access.generation);
    throw ApplicationFailure.create({
      message: err.message,
      type: 'PortalSessionExpired',
      nextRetryDelay: SESSION_WAIT,
    });
  }
}

/** The activity's failure for a session whose cookies may not be used now. Messages name states, never cookies. */
function refused(access: Exclude<SessionAccess, { kind: 'usable' }>, tenant: string): ApplicationFailure {
  const notReady = (why: string, nextRetryDelay: Duration) =>
    ApplicationFailure.create({
      message: `The Clio portal session is ${why}`,
      type: 'PortalSessionNotReady',
      nextRetryDelay,
    });
  switch (access.kind) {
    case 'not_started':
      return notReady('not signed in yet (this call started its sign-in)', SESSION_WAIT);
    case 'failed':
      // A failed session needs a person (credentials, page objects): waiting for it would only burn retries.
      return ApplicationFailure.nonRetryable(
        `The Clio portal session failed: ${access.reason ?? 'unknown reason'}`,
        'PortalSessionFailed',
      );
    case 'missing':
      return ApplicationFailure.create({
        message: 'The Clio portal session is active but its cookies are not stored; it signs in again',
        type: 'PortalSessionExpired',
        nextRetryDelay: SESSION_WAIT,
      });
    case 'pending':
      switch (access.state) {
        case 'awaiting_mfa':
          return notReady(
            `waiting for an MFA code (a person hands it in: POST /v1/tenants/${tenant}/session/mfa)`,
            MFA_WAIT,
          );
        case 'verifying_mfa':
          return notReady('checking an MFA code', SESSION_WAIT);
        case 'signing_in':
          return notReady('signing in', SESSION_WAIT);
        case 'reauthenticating':
          return notReady('signing in again', SESSION_WAIT);
      }
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
