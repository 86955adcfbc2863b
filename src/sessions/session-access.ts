import { type SessionMaterial } from '../integrations/clio-portal/types';
import { type SessionState } from '../../workflows/shared/session-messages';
import { type SessionLink } from './session-link';
import { sessionReading, startSession } from './session-reading';
import { type SessionStore } from './session-store';

/** The states of a session on its way to `active`: wait for them, they need no person (except awaiting_mfa's code). */
export type SessionPendingState = Exclude<SessionState, 'active' | 'failed'>;

/**
 * Whether the tenant's stored web session may be used now, and if not, why not.
 *
 * - `usable`: the session workflow says `active`; these are the cookies of the generation it names.
 * - `not_started`: no session workflow existed; it has now been started (`ensure`).
 * - `failed`: the session failed or its workflow ended (an operator terminated it), however long ago (Temporal may
 *   have forgotten the run since: see sessionReading): a person must retry it.
 * - `pending`: signing in, waiting for or checking an MFA code, or signing in again.
 * - `missing`: active, but its generation's cookies are not in the store (a restored database); that generation
 *   has been reported expired, so the session signs in again.
 */
export type SessionAccess =
  | { kind: 'usable'; material: SessionMaterial; generation: number }
  | { kind: 'not_started' }
  | { kind: 'failed'; reason: string | undefined }
  | { kind: 'pending'; state: SessionPendingState }
  | { kind: 'missing'; generation: number | undefined };

export interface SessionAccessDeps {
  link: SessionLink;
  store: SessionStore;
  /** Bounds each call to Temporal (the API's request timeout); calls run unbounded without it. */
  within?: <T>(call: Promise<T>) => Promise<T>;
}

/**
 * The one answer to "which stored session material may be used now" for everything that talks to Clio's web app
 * over the stored cookies (the bill-PDF route, the portal activities). The session workflow owns the web session:
 * the store cannot tell, since a session that failed (an operator ended it, credentials refused, MFA locked) or
 * signs in again leaves its last cookies there, and Clio may accept them for hours. So the workflow's state is
 * asked first, and only an `active` session's own generation is read (not merely the newest row: a sign-in of an
 * ended session workflow that was still running when it ended may have stored cookies after the live ones).
 *
 * The session is read through `sessionReading`, so a session workflow that ended stays ended after Temporal has
 * forgotten it. The two follow-ups every caller needs are done here too: a session never started is started (and
 * remembered), and an active one whose cookies are gone is reported expired. Callers turn the answer into their own
 * (a 503, a retryable failure) and, should Clio refuse the `usable` cookies, report that generation expired
 * themselves.
 */
export async function sessionAccess(deps: SessionAccessDeps, tenant: string): Promise<SessionAccess> {
  const within = deps.within ?? (<T>(call: Promise<T>) => call);
  const view = await sessionReading({ link: deps.link, store: deps.store, within }, tenant);
  if (!view) {
    await startSession({ link: deps.link, store: deps.store, within }, tenant);
    return { kind: 'not_started' };
  }
  if (view.state === 'failed') return { kind: 'failed', reason: view.reason };
  if (view.state !== 'active') return { kind: 'pending', state: view.state };
  // A running session's query always names its generation; without one nothing in the store can be trusted.
  const stored =
    view.generation === undefined ? undefined : await deps.store.loadMaterial(tenant, view.generation);
  if (!stored) {
    // Only a new sign-in helps. One report per generation counts in the workflow, however many callers notice.
    if (view.generation !== undefined) await within(deps.link.reportExpired(tenant, view.generation));
    return { kind: 'missing', generation: view.generation };
  }
  return { kind: 'usable', material: stored.material, generation: stored.generation };
}
