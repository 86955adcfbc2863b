import { ApplicationFailure } from '@temporalio/common';
import {
  PortalChangedError,
  PortalCredentialsError,
  PortalRequestError,
} from '../../src/integrations/clio-portal/errors';

/**
 * Portal errors in Temporal's terms: drift and refused credentials are permanent (a person must act); other
 * portal answers retry only when the status says so.
 */
export function toPortalFailure(err: unknown): unknown {
  if (err instanceof PortalChangedError) {
    return ApplicationFailure.create({
      message: err.message,
      type: 'PortalChanged',
      nonRetryable: true,
      details: [{ missing: err.missing, page: err.page, ...(err.snapshot ?? {}) }],
    });
  }
  if (err instanceof PortalCredentialsError) {
    return ApplicationFailure.create({
      message: err.message,
      type: 'PortalCredentialsRejected',
      nonRetryable: true,
    });
  }
  if (err instanceof PortalRequestError) {
    return ApplicationFailure.create({
      message: err.message,
      type: `Portal${err.status}`,
      nonRetryable: !err.retryable,
    });
  }
  return err;
}
