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

const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status) || status >= 500;
}

/** Builds the error for a non-2xx answer from its status, headers and (already read) body text. */
export function errorFromResponse(status: number, headers: Headers, bodyText: string): ClioApiError {
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
  const retryAfter = Number(headers.get('retry-after'));
  const retryAfterMs = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : undefined;
  return new ClioApiError(message, status, type, isRetryableStatus(status), retryAfterMs);
}

export function networkError(cause: unknown): ClioApiError {
  const msg = cause instanceof Error ? cause.message : String(cause);
  return new ClioApiError(`Clio could not be reached: ${msg}`, undefined, 'NetworkError', true);
}
