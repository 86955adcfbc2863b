import { type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TASK_QUEUES } from '../../workflows/shared/task-queues';
import { type TemporalTimeout } from './temporal-timeout';

const { TaskQueueType } = temporal.api.enums.v1;

/** Which kind of task each queue must have a poller for. */
const REQUIRED_POLLERS: { queue: string; type: temporal.api.enums.v1.TaskQueueType; label: string }[] = [
  { queue: TASK_QUEUES.orchestration, type: TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, label: 'workflow' },
  { queue: TASK_QUEUES.clioApi, type: TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY, label: 'activity' },
  { queue: TASK_QUEUES.clioBrowser, type: TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY, label: 'activity' },
];

export interface Readiness {
  ready: boolean;
  temporal: 'reachable' | 'unreachable';
  taskQueues: { name: string; kind: string; pollers: number }[];
  /** The process is stopping: a balancer should send it nothing new (the rest is the last answer Temporal gave). */
  shuttingDown?: true;
}

/** How long one answer from Temporal serves every probe: a probe storm costs Temporal three calls a second at most. */
export const READINESS_CACHE_MS = 1000;

/** The last round of calls per client: `at` is when it answered (undefined while it is in flight). */
const answers = new WeakMap<Client, { at?: number; answer: Promise<Readiness>; settled?: Readiness }>();
const draining = new WeakSet<Client>();

/** From now on the API on this client answers not ready (503) without asking Temporal: it is shutting down. */
export function drainReadiness(client: Client): void {
  draining.add(client);
}

/** A readiness probe must answer fast even when Temporal hangs. */
const PROBE_TIMEOUT_MS = 3000;

/**
 * How recently a poller must have polled to count. Temporal lists a poller for minutes after its worker is gone;
 * a live one polls again at least once per long poll (about a minute, at most 70 s).
 */
export const POLLER_FRESH_MS = 90_000;

/** As Temporal's client gives it: seconds a number or a Long (whose toString is the decimal value). */
type Poller = {
  lastAccessTime?: { seconds?: number | { toString(): string } | null; nanos?: number | null } | null;
};

/** Pollers seen within POLLER_FRESH_MS of `now`. */
export function livePollers(pollers: Poller[] | null | undefined, now: number): number {
  return (pollers ?? []).filter((p) => {
    const raw = p.lastAccessTime?.seconds;
    const seconds = raw === null || raw === undefined ? NaN : Number(raw.toString());
    return Number.isFinite(seconds) && now - seconds * 1000 <= POLLER_FRESH_MS;
  }).length;
}

/**
 * Ready means: the process is not shutting down, Temporal answers, and some worker polled every task queue
 * recently. Probes arriving together share one round of calls, and its answer serves for READINESS_CACHE_MS.
 */
export function checkReadiness(
  client: Client,
  namespace: string,
  within: TemporalTimeout,
): Promise<Readiness> {
  const last = answers.get(client);
  if (draining.has(client)) {
    const { temporal, taskQueues } = last?.settled ?? { temporal: 'unreachable' as const, taskQueues: [] };
    return Promise.resolve({ ready: false, temporal, taskQueues, shuttingDown: true });
  }
  if (last && (last.at === undefined || Date.now() - last.at < READINESS_CACHE_MS)) return last.answer;
  const round: { at?: number; answer: Promise<Readiness>; settled?: Readiness } = {
    answer: askTemporal(client, namespace, within),
  };
  answers.set(client, round);
  void round.answer.then((settled) => {
    round.at = Date.now();
    round.settled = settled;
  });
  return round.answer;
}

async function askTemporal(client: Client, namespace: string, within: TemporalTimeout): Promise<Readiness> {
  try {
    const taskQueues = await Promise.all(
      REQUIRED_POLLERS.map(async ({ queue, type, label }) => {
        const res = await within(
          client.workflowService.describeTaskQueue({
            namespace,
            taskQueue: { name: queue },
            taskQueueType: type,
          }),
          PROBE_TIMEOUT_MS,
        );
        return { name: queue, kind: label, pollers: livePollers(res.pollers, Date.now()) };
      }),
    );
    return { ready: taskQueues.every((q) => q.pollers > 0), temporal: 'reachable', taskQueues };
  } catch {
    return { ready: false, temporal: 'unreachable', taskQueues: [] };
  }
}
