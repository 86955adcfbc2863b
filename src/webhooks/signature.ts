import { createHmac, timingSafeEqual } from 'node:crypto';

/** `sha256=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>`: the timestamp is signed so replays can be refused. */
export function signWebhook(secret: string, timestamp: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

/**
 * How far a delivery's timestamp (whole seconds since the epoch) may be from the receiver's clock. Each attempt
 * is signed when it is sent, so a genuine one is seconds old; a captured delivery sent again later is refused.
 */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * What a receiver does: refuse a timestamp outside the window (or not whole seconds in digits: the signed string
 * `<timestamp>.<body>` could otherwise be split elsewhere), then recompute and compare in constant time.
 */
export function verifyWebhook(
  secret: string,
  timestamp: string,
  /** The body as received: its bytes, or their UTF-8 text. */
  rawBody: string | Buffer,
  signature: string,
  opts: { toleranceSeconds?: number; now?: number } = {},
): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  const ageSeconds = Math.floor((opts.now ?? Date.now()) / 1000) - Number(timestamp);
  if (Math.abs(ageSeconds) > (opts.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, rawBody));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
