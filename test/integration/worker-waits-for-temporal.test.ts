import { freePort } from '../../src/dev/ports';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type NativeConnection } from '@temporalio/worker';
import { connectWorker } from '../../src/temporal/connection';
import { createLocalEnv } from '../helpers/temporal-env';

describe('worker start before Temporal', () => {
  let env: TestWorkflowEnvironment | undefined;
  let connection: NativeConnection | undefined;
  afterAll(async () => {
    await connection?.close();
    await env?.teardown();
  });

  it('when Temporal is not up yet, then the worker waits (saying so) and connects once it is', async () => {
    const port = await freePort();
    const waits: string[] = [];
    const connecting = connectWorker(
      {
        TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
        TEMPORAL_NAMESPACE: 'default',
        TEMPORAL_API_KEY: '',
        TEMPORAL_TLS: false,
      },
      { onWaiting: (_attempt, reason) => waits.push(reason), maxDelayMs: 500 },
    );
    await new Promise((r) => setTimeout(r, 1_500));
    expect(waits.length).toBeGreaterThan(0);
    expect(waits[0]).toMatch(/connect/i);
    env = await createLocalEnv({ port });
    connection = await connecting;
    const info = await connection.workflowService.getSystemInfo({});
    expect(info.serverVersion).toBeTruthy();
  });

  it('when the address is malformed, then it fails at once instead of waiting', async () => {
    const started = Date.now();
    await expect(
      connectWorker({
        TEMPORAL_ADDRESS: 'not a host:port',
        TEMPORAL_NAMESPACE: 'default',
        TEMPORAL_API_KEY: '',
        TEMPORAL_TLS: false,
      }),
    ).rejects.toBeDefined();
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
