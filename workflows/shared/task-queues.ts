/**
 * The one list of task-queue names. Workflows run on orchestration; Clio REST activities run on their own queue so
 * the Temporal server holds every worker process together under Clio's per-token rate limit.
 */
export const TASK_QUEUES = {
  orchestration: 'clio-orchestrator',
  clioApi: 'clio-api',
  /** Real Chromium sign-ins to the Clio portal, served by the browser worker at low concurrency. */
  clioBrowser: 'clio-browser',
} as const;

export type TaskQueueName = (typeof TASK_QUEUES)[keyof typeof TASK_QUEUES];
