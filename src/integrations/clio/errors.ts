import { type HeaderReader } from './transport';
/**
 * One error type for every failed Clio call, classified once here: callers (activities) only translate
 * `retryable` and `retryAfterMs` into Temporal's terms.
 */
export class ClioApiError extends Error {
  override readonly name = 'ClioApiError';
  constructor(
    message: string,
    readonly status: number | undefined,
    /** Clio's error type (`{error:{type}}`) or the OAuth error code, or a network error kind. */
    readonly type: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * Retryable: the same request can succeed later (timeouts, rate limits, server trouble). Everything else in
 * 4xx (400 bad fields, 403 scope or role, 404, 409, 410 retired API version, 412 stale etag, 422 validation)
 * fails the same way every time, so retrying only burns rate budget. 401 is handled before this (re-auth).
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Retry-After in seconds or as an HTTP date; else, for a 429, the end of the rate window. */
export function retryAfterMsOf(headers: HeaderReader, now = Date.now()): number | undefined {
  const raw = headers.get('retry-after');
  if (raw !== null && raw.trim() !== '') {
    const seconds = Number(raw);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const at = Date.parse(raw);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 1e9) return Math.max(0, reset * 1000 - now);
  return undefined;
}

/**
 * Clio now and then answers a rate limit as a 200 whose JSON body has a base64 `data` decoding to a
 * "RateLimited" message (seen by the hyacinth client). Only small bodies (≤ 2 KB) are checked, and only they are
 * decoded for it: real records are bigger.
 */
export function isDisguisedRateLimit(answer: { bytes: Buffer; text: string }): boolean {
  if (answer.bytes.length > 2048 || !answer.text.includes('"data"')) return false;
  try {
    const body = JSON.parse(answer.text) as { data?: unknown };
    if (typeof body.data !== 'string') return false;
    return /ratelimit|rate limit/i.test(Buffer.from(body.data, 'base64').toString('utf8'));
  } catch {
    return false;
  }
}

/** `atLeastMs`: the caller's own rate budget may keep the door shut longer than Clio's Retry-After says. */
export function rateLimitedError(headers: HeaderReader, disguised: boolean, atLeastMs = 0): ClioApiError {
  const how = disguised ? ' (disguised as a 200 with a base64 body)' : '';
  // Without a hint, wait a full window, as Clio's window is 60 s.
  const retryAfterMs = Math.max(retryAfterMsOf(headers) ?? 60_000, atLeastMs);
  return new ClioApiError(`Clio rate limit reached${how}`, 429, 'RateLimited', true, retryAfterMs);
}

/** Builds the error for a non-2xx answer from its status, headers and (already read) body text. */
export function errorFromResponse(status: number, headers: HeaderReader, bodyText: string): ClioApiError {
  let type = `HTTP${status}`;
  let message = `Clio answered ${status}`;
  try {
    const body = JSON.parse(bodyText) as { error?: unknown; error_description?: unknown; message?: unknown };
    if (body.error && typeof body.error === 'object') {
      const e = body.error as { type?: unknown; message?: unknown };
      if (typeof e.type === 'string') type = e.type;
      if (typeof e.message === 'string') message = `${message}: ${e.message}`;
    } else if (typeof body.error === 'string') {
      type = body.error;
      if (typeof body.error_description === 'string') message = `${message}: ${body.error_description}`;
    } else if (typeof body.message === 'string') {
      message = `${message}: ${body.message}`;
    }
  } catch {
    // Not JSON (a proxy's HTML page): the status says enough.
  }
  const retryAfterMs = status === 429 || status === 503 ? retryAfterMsOf(headers) : undefined;
  return new ClioApiError(message, status, type, isRetryableStatus(status), retryAfterMs);
}

export function networkError(cause: unknown): ClioApiError {
  const msg = cause instanceof Error ? cause.message : String(cause);
  return new ClioApiError(`Clio could not be reached: ${msg}`, undefined, 'NetworkError', true);
}
