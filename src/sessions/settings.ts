import { type Config } from '../config';
import { type SessionSettings } from '../../workflows/shared/session-messages';
import { parseSessionKey } from './sealer';

/** The session workflow's timing, from config; it travels in the workflow input (no config reads in workflows). */
export function sessionSettings(config: Config): SessionSettings {
  return {
    mfaWaitMs: Math.round(config.MFA_WAIT_MINUTES * 60_000),
    maxPrompts: config.MFA_MAX_PROMPTS,
    maxCodeAttempts: config.MFA_MAX_CODE_ATTEMPTS,
    healthCheckIntervalMs: config.PORTAL_HEALTH_CHECK_SECONDS * 1000,
  };
}

export function sessionKey(config: Config): Buffer {
  return parseSessionKey(config.SESSION_ENCRYPTION_KEY);
}
