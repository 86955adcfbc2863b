import { type NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { type DataConverter } from '@temporalio/common';
import { type Logger } from '../src/logging/logger';
import { createActivitiesByQueue, type ActivityDeps } from './activities';
import { TASK_QUEUES } from './task-queues';

export interface MainWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  deps: ActivityDeps;
  logger: Logger;
  /** Clio's per-token budget, enforced by the Temporal server across every worker polling the Clio queue. */
  clioRequestsPerMinute: number;
  shutdownGraceSeconds: number;
  /** A prebuilt bundle (production, tests); otherwise the workflows are bundled from source. */
  workflowBundle?: WorkflowBundleOption;
  dataConverter?: DataConverter;
}

export interface RunningWorkers {
  /** Resolves when every worker has stopped; rejects if one crashed. */
  done: Promise<void>;
  /** Stops polling, lets running activities finish (up to the grace time), then resolves. */
  shutdown: () => Promise<void>;
}

export async function createMainWorkers(opts: MainWorkerOptions): Promise<Worker[]> {
  const activities = createActivitiesByQueue(opts.deps);
  const common = {
    connection: opts.connection,
    namespace: opts.namespace,
    shutdownGraceTime: `${opts.shutdownGraceSeconds} seconds` as const,
    // An activity that ignores cancellation must not hold shutdown open for ever.
    shutdownForceTime: `${opts.shutdownGraceSeconds + 5} seconds` as const,
    dataConverter: opts.dataConverter,
  };
  const orchestration = await Worker.create({
    ...common,
    taskQueue: TASK_QUEUES.orchestration,
    ...(opts.workflowBundle
      ? { workflowBundle: opts.workflowBundle }
      : { workflowsPath: require.resolve('../workflows') }),
    activities: activities.orchestration,
  });
  const clioApi = await Worker.create({
    ...common,
    taskQueue: TASK_QUEUES.clioApi,
    activities: activities.clioApi,
    maxTaskQueueActivitiesPerSecond: opts.clioRequestsPerMinute / 60,
  });
  return [orchestration, clioApi];
}

export function runWorkers(workers: Worker[]): RunningWorkers {
  const done = Promise.all(workers.map((w) => w.run())).then(() => undefined);
  return {
    done,
    async shutdown() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await done;
    },
  };
}
