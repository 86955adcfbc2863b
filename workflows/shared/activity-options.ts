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
