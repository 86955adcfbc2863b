import { freePort } from '../../src/dev/ports';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Client } from '@temporalio/client';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logging/logger';
import { createDatabase, type Database } from '../../src/store/database';
import { startApiServer, type RunningApi } from '../../src/api/server';
import { createClioSandbox, type ClioSandbox } from '../../src/sandboxes/clio';
import { lazyClient } from '../../src/temporal/connection';
import { dataConverterFromConfig } from '../../src/temporal/data-converter-from-config';
import { createLocalEnv } from '../helpers/temporal-env';

/** The API alone, started before Temporal exists (as in a cluster where it comes up later, or is down a while). */
describe('API without Temporal', () => {
  let clio: ClioSandbox;
  let db: Database;
  let api: RunningApi;
  let temporalPort: number;
  let dir: string;
  let env: TestWorkflowEnvironment | undefined;
  let temporal: Client;
  let dataConverter: ReturnType<typeof dataConverterFromConfig>;

  beforeAll(async () => {
    clio = createClioSandbox();
    const clioPort = await clio.listen(0);
    temporalPort = await freePort();
    dir = mkdtempSync(path.join(tmpdir(), 'clio-orch-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      CLIO_BASE_URL: `http://127.0.0.1:${clioPort}`,
      DATABASE_URL: `sqlite:${path.join(dir, 'service.db')}`,
      DATA_DIR: dir,
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      API_TEMPORAL_TIMEOUT_SECONDS: '1',
    });
    db = await createDatabase(config.DATABASE_URL);
    dataConverter = dataConverterFromConfig(config);
    temporal = lazyClient(config, dataConverter, { retryBudgetMs: 1000 });
    api = await startApiServer({ config, logger: createLogger({ level: 'silent' }), temporal, db, port: 0 });
  });
  afterAll(async () => {
    await api?.close();
    await temporal?.connection.close();
    await db?.close();
    await clio?.close();
    await env?.teardown();
    rmSync(dir, { recursive: true, force: true });
  });

  const record = (key: string) =>
    fetch(`${api.url}/v1/time-entries`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer sandbox-attorney',
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify({
        entries: [{ matterId: '9800001', date: '2026-11-20', durationSeconds: 600, description: 'Research' }],
      }),
    });

  it('when Temporal is not there, then writes answer 503 within the timeout, reads still work, and nothing is remembered', async () => {
    const ready = await fetch(`${api.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, temporal: 'unreachable' });

    const started = Date.now();
    const refused = await record('outage-1');
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('temporal_unavailable');

    const status = await fetch(`${api.url}/v1/workflows/timeCapture-sandbox-none`, {
      headers: { authorization: 'Bearer sandbox-attorney' },
    });
    expect(status.status).toBe(503);

    const matters = await fetch(`${api.url}/v1/matters?limit=1`, {
      headers: { authorization: 'Bearer sandbox-attorney' },
    });
    expect(matters.status).toBe(200);

    // The 503 was not stored under the key: the same request is not answered from the idempotency store.
    const again = await record('outage-1');
    expect(again.status).toBe(503);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
  });

  it('when Temporal comes up, then the same request with the same key starts its workflow', async () => {
    // The test's own client reads what the API wrote (the memo is encrypted): it needs the same codec.
    env = await createLocalEnv({ port: temporalPort, dataConverter });
    let answer = await record('outage-1');
    // The client's connection reconnects on its own; give it a few tries.
    for (let i = 0; i < 20 && answer.status === 503; i++) {
      await new Promise((r) => setTimeout(r, 500));
      answer = await record('outage-1');
    }
    expect(answer.status).toBe(202);
    const { workflowId } = (await answer.json()) as { workflowId: string };
    const description = await env.client.workflow.getHandle(workflowId).describe();
    expect(description.type).toBe('timeCapture');
  });
});
