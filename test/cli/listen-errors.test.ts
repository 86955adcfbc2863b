import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '../..');
/** An unprivileged user (nobody): as root, ports below 1024 are allowed, so the entry runs as this user. */
const NOBODY = 65534;
const dirs: string[] = [];

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs an entry point as `npm run api` / `npm run worker` do, and collects what an operator sees. */
function run(entry: string, env: Record<string, string>, asUnprivileged = false): Promise<Outcome> {
  const dropPrivileges = asUnprivileged && process.getuid?.() === 0;
  // A data directory of its own (its keys and database), writable by the unprivileged user.
  const dir = mkdtempSync(path.join(tmpdir(), 'clio-orch-listen-'));
  dirs.push(dir);
  chmodSync(dir, 0o777);
  env = { DATABASE_URL: `sqlite:${path.join(dir, 'service.db')}`, DATA_DIR: dir, ...env };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(root, entry)],
      {
        cwd: root,
        env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', ...env },
        // Well past a clean failure; a run that got further (waiting for Temporal, say) is stopped.
        timeout: 30_000,
        ...(dropPrivileges ? { uid: NOBODY, gid: NOBODY } : {}),
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

function occupy(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** One line a person can act on: exit 1, that line on stderr, no stack trace anywhere. */
function expectOneClearLine(outcome: Outcome, line: RegExp): void {
  expect(outcome.code).toBe(1);
  expect(outcome.stderr.trim()).toMatch(line);
  expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
  for (const text of [outcome.stderr, outcome.stdout]) {
    expect(text).not.toMatch(/^\s+at /m);
    expect(text).not.toMatch(/TypeError|Cannot read properties/);
  }
}

describe('the API and the worker started on their own, on an address they cannot take', () => {
  let env: Record<string, string>;
  let taken: Server;
  let port: number;

  beforeAll(async () => {
    env = {
      HOST: '127.0.0.1',
      // Nothing listens there: neither entry may get as far as Temporal.
      TEMPORAL_ADDRESS: '127.0.0.1:1',
    };
    taken = await occupy();
    port = (taken.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((r) => taken?.close(r));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test('when the API port is taken, then the API exits 1 with one line naming the address and PORT', async () => {
    const outcome = await run('src/api/main.ts', { ...env, PORT: String(port) });
    expectOneClearLine(
      outcome,
      new RegExp(
        `^Cannot start the HTTP API on 127\\.0\\.0\\.1:${port}: the port is already in use; .*set PORT\\b.*HOST`,
      ),
    );
  });

  test('when the API port is not allowed, then the API exits 1 with one line naming the address and PORT', async () => {
    const outcome = await run('src/api/main.ts', { ...env, PORT: '80' }, true);
    expectOneClearLine(
      outcome,
      /^Cannot start the HTTP API on 127\.0\.0\.1:80: not allowed to listen there .*set PORT\b.*HOST/,
    );
  });

  test("when the worker's metrics port is taken, then the worker exits 1 with one line naming the address and WORKER_METRICS_PORT", async () => {
    const outcome = await run('workers/main.ts', { ...env, WORKER_METRICS_PORT: String(port) });
    expectOneClearLine(
      outcome,
      new RegExp(
        `^Cannot start the worker's metrics exporter on 127\\.0\\.0\\.1:${port}: the port is already in use; .*set WORKER_METRICS_PORT\\b.*HOST`,
      ),
    );
  });

  test("when the worker's metrics port is not allowed, then the worker exits 1 with one line naming the address and WORKER_METRICS_PORT", async () => {
    const outcome = await run('workers/main.ts', { ...env, WORKER_METRICS_PORT: '80' }, true);
    expectOneClearLine(
      outcome,
      /^Cannot start the worker's metrics exporter on 127\.0\.0\.1:80: not allowed to listen there .*set WORKER_METRICS_PORT\b/,
    );
  });
});
