import { defineQuery, defineSignal } from '@temporalio/workflow';

/** The states a Clio portal session goes through; the query and `GET /v1/tenants/:tenant/session` show them. */
export type SessionState =
  'signing_in' | 'awaiting_mfa' | 'verifying_mfa' | 'active' | 'reauthenticating' | 'failed';

export interface SessionView {
  tenant: string;
  state: SessionState;
  /** ISO time the session entered this state. */
  since: string;
  /** Generation of the stored session material (cookies, CSRF); it grows by one per sign-in. */
  generation: number;
  /** MFA codes tried during the current sign-in. */
  attempts: number;
  /** MFA prompts (notifications) sent during the current sign-in. */
  prompts: number;
  reason?: string;
}

export interface SessionSettings {
  /** How long one MFA prompt waits for a code (an SMS code lives 10 minutes). */
  mfaWaitMs: number;
  /** Prompts per sign-in before the session fails. */
  maxPrompts: number;
  /** Wrong codes per sign-in before the session fails (the portal locks the challenge at 5). */
  maxCodeAttempts: number;
  healthCheckIntervalMs: number;
  /** How long a code may wait for the browser process holding its challenge (default 1 minute). */
  hostPickupMs?: number;
}

export interface ClioSessionInput {
  tenant: string;
  settings: SessionSettings;
  /** Carried across continue-as-new: the session survives its own history being cut. */
  carried?: SessionView;
}

/**
 * An MFA code. The API stores the code sealed in the service store and signals only its reference (`ref`), so
 * history holds no code. `code` is the Temporal CLI's path: run with `--codec-endpoint` (the API's /codec), the
 * CLI encrypts the signal like every other payload, so history again holds only ciphertext.
 */
export interface MfaCodeMessage {
  ref?: string;
  code?: string;
}

/** "The session of this generation no longer works": reports about older generations are ignored. */
export interface ReauthenticateMessage {
  generation: number;
}

export const mfaCodeSignal = defineSignal<[MfaCodeMessage]>('mfaCode');
export const reauthenticateSignal = defineSignal<[ReauthenticateMessage]>('reauthenticate');
/** Sent with signalWithStart by whoever needs a session: starts the workflow if needed, otherwise a no-op. */
/** "Run, with these settings": each worker start sends the configuration it was started with. */
export interface EnsureSessionMessage {
  settings?: SessionSettings;
}

export const ensureSessionSignal = defineSignal<[EnsureSessionMessage?]>('ensure');
/** An operator's "try again" for a failed session (after fixing credentials or page objects). */
export const retrySessionSignal = defineSignal('retry');
export const sessionStateQuery = defineQuery<SessionView>('state');

export const CLIO_SESSION_WORKFLOW_TYPE = 'clioSession';

/** One session workflow per tenant: the id is what makes it a singleton. */
export function clioSessionWorkflowId(tenant: string): string {
  return `clioSession-${tenant}`;
}
