/** /readyz's check: probes share Temporal's answer, and a stopping API answers not ready without asking. */
import { type Client } from '@temporalio/client';
import { checkReadiness, drainReadiness, READINESS_CACHE_MS } from '../../src/api/readiness';
import { type TemporalTimeout } from '../../src/api/temporal-timeout';
import { TASK_QUEUES } from '../../workflows/shared/task-queues';

/** A Temporal whose every queue has a live poller, counting describeTaskQueue calls. */
function fakeTemporal(delayMs = 50) {
  const calls = { count: 0 };
  const client = {
    workflowService: {
      describeTaskQueue: async () => {
        calls.count++;
        await new Promise((r) => setTimeout(r, delayMs));
        return { pollers: [{ lastAccessTime: { seconds: Math.floor(Date.now() / 1000) } }] };
      },
    },
  } as unknown as Client;
  return { client, calls };
}

const within = (<T>(call: Promise<T>) => call) as unknown as TemporalTimeout;
const queues = Object.keys(TASK_QUEUES).length;

test('when 200 probes arrive together, then Temporal is asked once per task queue, and again only after the cache time', async () => {
  const { client, calls } = fakeTemporal();
  const answers = await Promise.all(
    Array.from({ length: 200 }, () => checkReadiness(client, 'default', within)),
  );
  expect(answers.every((a) => a.ready)).toBe(true);
  expect(calls.count).toBe(queues);
  await checkReadiness(client, 'default', within);
  expect(calls.count).toBe(queues);
  await new Promise((r) => setTimeout(r, READINESS_CACHE_MS + 50));
  await checkReadiness(client, 'default', within);
  expect(calls.count).toBe(2 * queues);
});

test('when the API is shutting down, then it is not ready, says so, and Temporal is not asked', async () => {
  const { client, calls } = fakeTemporal();
  expect((await checkReadiness(client, 'default', within)).ready).toBe(true);
  drainReadiness(client);
  const before = calls.count;
  const answer = await checkReadiness(client, 'default', within);
  expect(answer).toMatchObject({ ready: false, shuttingDown: true, temporal: 'reachable' });
  expect(calls.count).toBe(before);
});
