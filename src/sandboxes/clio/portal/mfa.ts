import { hashSecret } from './auth-store';
import { totpStep } from './totp';

/** SMS codes live 10 minutes, as Clio's do; 5 wrong codes lock the challenge. */
export const SMS_CODE_TTL_MS = 10 * 60_000;
export const MAX_CODE_ATTEMPTS = 5;

/**
 * RFC 6238 check with one 30 s step of drift either way (a phone clock a little off still works): the step the
 * code belongs to, or undefined. Codes of a step at or before `lastStep` (the user's last accepted) are refused.
 */
export async function totpMatches(
  secret: string,
  code: string,
  nowMs: number,
  lastStep?: number,
): Promise<number | undefined> {
  if (!/^\d{6}$/.test(code)) return undefined;
  return totpStep(secret, code, Math.floor(nowMs / 1000), lastStep);
}

export type SmsCheck = 'ok' | 'wrong' | 'expired';

export function smsMatches(
  codeHash: string | null,
  expiresAt: number | null,
  code: string,
  nowMs: number,
): SmsCheck {
  if (!codeHash || !/^\d{6}$/.test(code) || hashSecret(code) !== codeHash) return 'wrong';
  return expiresAt !== null && nowMs > expiresAt ? 'expired' : 'ok';
}

/** "312-555-1001" → "•••-•••-1001": the page says where the code went without showing the number. */
export const maskPhone = (phone: string): string => `•••-•••-${phone.replace(/\D/g, '').slice(-4)}`;
