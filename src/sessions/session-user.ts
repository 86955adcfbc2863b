import { type SessionLink } from './session-link';
import { sessionReading } from './session-reading';
import { type SessionStore } from './session-store';

/**
 * The firm changed the web-app user the service signs in as (a new automation account, another person's): the
 * stored session is still the old user's, valid for hours and acting in Clio's web app under that user's name.
 * It is reported expired, so the session workflow signs in again as the configured user. Material saved before
 * the user was recorded is left alone (nothing says it is someone else's), and so is a session that is not running or
 * has failed or ended: a report would start a session whoever ended it meant to stay stopped, and a retried one signs
 * in as the configured user anyway. Returns whether a new sign-in was asked.
 */
export async function signInAgainIfUserChanged(deps: {
  store: SessionStore;
  link: SessionLink;
  tenant: string;
  username: string;
}): Promise<boolean> {
  const stored = await deps.store.loadMaterial(deps.tenant);
  const signedInAs = stored?.material.signedInAs;
  if (!stored || signedInAs === undefined || sameUser(signedInAs, deps.username)) return false;
  const session = await sessionReading(deps, deps.tenant);
  if (!session || session.state === 'failed') return false;
  await deps.link.reportExpired(deps.tenant, stored.generation);
  return true;
}

/** Clio's web-app users are e-mail addresses, which it matches without regard to case. */
function sameUser(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
