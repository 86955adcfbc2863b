import { ClioApiError } from '../integrations/clio/errors';
import { AppError } from './errors';

/** A failed Clio read, as the API's caller should see it: what is theirs to fix, and what is ours or Clio's. */
export function fromClioError(err: unknown, what: string): unknown {
  if (!(err instanceof ClioApiError)) return err;
  if (err.status === 404) return new AppError(404, 'not_found', `${what} not found`);
  if (err.type === 'UnknownTenant' || err.type === 'NotAuthorized')
    return new AppError(409, 'clio_not_connected', 'This tenant has not connected Clio yet');
  if (err.status === 429 || err.type === 'RateLimited' || err.type === 'RateBudgetExhausted') {
    const seconds = Math.max(1, Math.ceil((err.retryAfterMs ?? 1000) / 1000));
    return new AppError(
      503,
      'clio_rate_limited',
      'Clio’s rate limit is reached; retry after the Retry-After seconds',
      undefined,
      { 'retry-after': String(seconds) },
      { cause: err },
    );
  }
  if (err.status === 401 || err.status === 403) {
    return new AppError(
      502,
      'clio_refused_credentials',
      'Clio refused the service’s credentials for this tenant; an admin must re-authorize',
      undefined,
      undefined,
      { cause: err },
    );
  }
  return new AppError(
    502,
    'clio_unavailable',
    'Clio did not answer as expected; try again later',
    undefined,
    undefined,
    { cause: err },
  );
}
