import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Client } from '@temporalio/client';
import { startApiServer, type RunningApi } from '../../src/api/server';
import { loadConfig } from '../../src/config';
import { freePort } from '../../src/dev/ports';
import { createLogger } from '../../src/logging/logger';
import { createDatabase, type Database } from '../../src/store/database';
import { lazyClient } from '../../src/temporal/connection';

/** A time entry: with no Temporal behind the API it is answered 503 after API_TEMPORAL_TIMEOUT_SECONDS (1 s). */
function slowPost(port: number, agent: Agent): Promise<{ status: number; connection?: string }> {
  const body = JSON.stringify({
    entries: [{ matterId: '1', date: '2026-11-20', durationSeconds: 60, description: 'Call' }],
  });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/time-entries',
        agent,
        headers: {
          authorization: 'Bearer sandbox-attorney',
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('API shutdown', () => {
  let db: Database;
  let api: RunningApi;
  let dir: string;
  let temporal: Client;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'clio-orch-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      CLIO_BASE_URL: 'http://127.0.0.1:9',
      DATABASE_URL: `sqlite:${path.join(dir, 'service.db')}`,
      DATA_DIR: dir,
      TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
      API_TEMPORAL_TIMEOUT_SECONDS: '1',
      IDEMPOTENCY_LEASE_SECONDS: '5',
    });
    db = await createDatabase(config.DATABASE_URL);
    temporal = lazyClient(config, undefined, { retryBudgetMs: 1_000 });
    api = await startApiServer({ config, logger: createLogger({ level: 'silent' }), temporal, db, port: 0 });
  });
  afterAll(async () => {
    await temporal?.connection.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('when a client keeps sending on a kept-alive connection, then shutdown still ends: the answer in flight says Connection: close and the connection is closed after it', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const answers: { status: number; connection?: string }[] = [];
    let firstSent!: () => void;
    const sent = new Promise<void>((r) => (firstSent = r));
    const client = (async () => {
      const until = Date.now() + 8_000;
      while (Date.now() < until) {
        const answer = slowPost(api.port, agent);
        firstSent();
        try {
          answers.push(await answer);
        } catch {
          return; // refused: the server is gone
        }
      }
    })();
    await sent;
    await new Promise((r) => setTimeout(r, 200)); // the request is in the API, waiting for Temporal
    const started = Date.now();
    await api.close();
    const closedAfterMs = Date.now() - started;
    await client;
    agent.destroy();
    // The answer in flight (about 1 s) finishes, then the connection closes; not the client's 8 s of sending.
    expect(closedAfterMs).toBeLessThan(4_000);
    expect(answers[0]).toEqual({ status: 503, connection: 'close' });
  });
});
