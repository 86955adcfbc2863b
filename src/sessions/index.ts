export { Sealer, parseSessionKey } from './sealer';
export { createSessionStore, type SessionStore, type StoredSession } from './session-store';
export { createSessionLink, type SessionLink, type SessionRun } from './session-link';
export { sessionSettings, sessionKey } from './settings';
export { signInAgainIfUserChanged } from './session-user';
export { sessionAccess, type SessionAccess, type SessionPendingState } from './session-access';
export {
  ensureSession,
  retrySession,
  sessionReading,
  startSession,
  type SessionReadingDeps,
} from './session-reading';
export {
  createSessionWorkflowRecords,
  type EndedSessionWorkflow,
  type SessionWorkflowRecord,
  type SessionWorkflowRecords,
} from './session-workflows';
