import { type ActivityOptions } from '@temporalio/workflow';
import { TASK_QUEUES } from './task-queues';

/**
 * Clio writes: short attempts, patient retries. A 429 overrides the backoff with Retry-After; validation and
 * permission answers are non-retryable failures raised by the activity itself.
 */
export const clioWriteOptions: ActivityOptions = {
  taskQueue: TASK_QUEUES.clioApi,
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
};

/**
 * Browser sign-ins: a real Chromium on the browser worker. A few retries for a flaky page load; a changed portal
 * or refused credentials fail at once (retrying cannot fix them).
 */
export const portalBrowserOptions: ActivityOptions = {
  taskQueue: TASK_QUEUES.clioBrowser,
  startToCloseTimeout: '3 minutes',
  scheduleToStartTimeout: '10 minutes',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumAttempts: 3,
    nonRetryableErrorTypes: ['PortalChanged', 'PortalCredentialsRejected'],
  },
};

/** Submitting an MFA code: never twice, since a replayed code counts as a wrong attempt towards the lock. */
export const portalMfaSubmitOptions: ActivityOptions = {
  ...portalBrowserOptions,
  retry: { maximumAttempts: 1 },
};

/** Session housekeeping (health check, notifications) next to the session workflow itself. */
export const sessionLocalOptions: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumAttempts: 5 },
};

/** Writes to the service's own store (audit, ledger): fast, local, retried until the store answers. */
export const localActivityOptions: ActivityOptions = {
  taskQueue: TASK_QUEUES.orchestration,
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/** Webhook deliveries: exponential backoff from 5 s, capped at an hour, for the configured number of attempts. */
export function webhookDeliveryOptions(maximumAttempts: number): ActivityOptions {
  return {
    taskQueue: TASK_QUEUES.orchestration,
    startToCloseTimeout: '30 seconds',
    retry: {
      initialInterval: '5 seconds',
      backoffCoefficient: 2,
      maximumInterval: '1 hour',
      maximumAttempts,
    },
  };
}
