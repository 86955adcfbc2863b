import { ApplicationFailure } from '@temporalio/common';
import { ClioApiError } from '../../src/integrations/clio/errors';
import { IManageApiError } from '../../src/integrations/imanage/errors';

/**
 * Translates an integration error (Clio or iManage) into Temporal's terms once: permanent answers (validation, not found,
 * forbidden) fail the activity for good; transient ones retry, after Clio's Retry-After when it sent one.
 */
export function toActivityFailure(err: unknown): unknown {
  if (err instanceof ClioApiError) {
    return ApplicationFailure.create({
      message: err.message,
      type: err.type === 'NetworkError' ? 'ClioUnavailable' : `Clio${err.status ?? ''}`,
      nonRetryable: !err.retryable,
      details: [{ status: err.status ?? null, clioErrorType: err.type }],
      nextRetryDelay: err.retryAfterMs,
    });
  }
  if (err instanceof IManageApiError) {
    return ApplicationFailure.create({
      message: err.message,
      type: err.status === undefined ? 'IManageUnavailable' : `IManage${err.status}`,
      nonRetryable: !err.retryable,
      details: [{ status: err.status ?? null, imanageErrorCode: err.code }],
      nextRetryDelay: err.retryAfterMs,
    });
  }
  return err;
}

/** Runs an activity body, translating integration errors on the way out. */
export async function withFailureTranslation<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toActivityFailure(err);
  }
}
