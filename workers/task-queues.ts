export { TASK_QUEUES, type TaskQueueName } from '../workflows/shared/task-queues';
