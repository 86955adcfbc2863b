import { createHash } from 'node:crypto';
import { generate } from 'otplib';

const STEP_MS = 30_000;
/** Per secret (by its hash, never the secret), the last 30 s step whose code this process submitted. */
const usedSteps = new Map<string, number>();

/**
 * A TOTP code (RFC 6238, 30 s, 6 digits) for a base32 secret, as an authenticator app shows it, from a step this
 * process has not submitted before. A portal refuses a code used once already, so a sign-in retried within the
 * same 30 s (after an accepted code, say) waits for the next step instead of failing on a replay.
 */
export async function totpCode(
  secret: string,
  clock: { now: () => number; sleep: (ms: number) => Promise<void> } = {
    now: Date.now,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  },
): Promise<string> {
  const key = createHash('sha256').update(secret).digest('hex');
  const step = () => Math.floor(clock.now() / STEP_MS);
  if (usedSteps.get(key) === step()) await clock.sleep((step() + 1) * STEP_MS - clock.now() + 50);
  usedSteps.set(key, step());
  return generate({ secret, epoch: Math.floor(clock.now() / 1000) });
}

/**
 * Milliseconds until the next 30 s step begins (plus a margin for clock skew): after a code was refused, most
 * likely one another process had already used in this step, the next step's code is a new one.
 */
export function msUntilNextTotpStep(now: number = Date.now()): number {
  return (Math.floor(now / STEP_MS) + 1) * STEP_MS - now + 1_000;
}
