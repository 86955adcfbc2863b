export { Sealer, parseSessionKey } from './sealer';
export { createSessionStore, type SessionStore, type StoredSession } from './session-store';
export { createSessionLink, type SessionLink } from './session-link';
export { sessionSettings, sessionKey } from './settings';
export { signInAgainIfUserChanged } from './session-user';
export { sessionAccess, type SessionAccess, type SessionPendingState } from './session-access';
