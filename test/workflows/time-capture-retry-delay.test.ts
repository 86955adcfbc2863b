import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/common';
import { timeCapture } from '../../workflows/time-capture';
import { TASK_QUEUES } from '../../workflows/shared/task-queues';
import { createTimeSkippingEnv, uniqueQueue, workflowBundle } from '../helpers/temporal-env';
import { fakeLocalActivities } from '../helpers/fake-local-activities';

describe('timeCapture under a Clio rate limit (time-skipping test server)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  test('when Clio says retry after an hour, then the write waits a durable hour and succeeds, without real waiting', async () => {
    const attempts: number[] = [];
    const wfQueue = uniqueQueue('wf');
    const workflows = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: wfQueue,
      workflowBundle: await workflowBundle(),
    });
    const activities = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUES.clioApi,
      activities: {
        createClioTimeEntry: () => {
          attempts.push(attempts.length + 1);
          if (attempts.length === 1) {
            throw ApplicationFailure.create({
              message: 'Clio answered 429',
              type: 'Clio429',
              nextRetryDelay: '1 hour',
            });
          }
          return Promise.resolve({ clioActivityId: '77', recovered: false });
        },
      },
    });
    const local = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUES.orchestration,
      activities: fakeLocalActivities().activities,
    });
    const started = Date.now();
    const before = await env.currentTimeMs();
    const result = await local.runUntil(
      activities.runUntil(
        workflows.runUntil(
          env.client.workflow.execute(timeCapture, {
            workflowId: uniqueQueue('time-capture'),
            taskQueue: wfQueue,
            args: [
              {
                tenant: 'sandbox',
                entries: [{ matterId: '1', date: '2026-11-02', durationSeconds: 60, description: 'x' }],
                requestedBy: { apiKeyId: 'k', role: 'admin' },
              },
            ],
          }),
        ),
      ),
    );
    const skippedMs = (await env.currentTimeMs()) - before;
    expect(result.created).toEqual([{ index: 0, clioActivityId: '77', recovered: false }]);
    expect(attempts).toHaveLength(2);
    expect(skippedMs).toBeGreaterThanOrEqual(3_600_000);
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
