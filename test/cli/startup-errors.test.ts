/**
 * What an operator sees when the API, the worker or the sandboxes cannot start for an expected reason: one line
 * naming what failed and the variable or command that fixes it, exit 1, no stack trace (and no password).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '../..');
const dirs: string[] = [];

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function freshDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'clio-orch-startup-'));
  dirs.push(dir);
  return dir;
}

/** Runs an entry point as `npm run api` / `npm run worker` / `npm run sandbox` do. */
function run(entry: string, env: Record<string, string>): Promise<Outcome> {
  const dir = freshDir();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(root, entry)],
      {
        cwd: root,
        env: {
          ...process.env,
          NODE_ENV: 'development',
          LOG_LEVEL: 'info',
          HOST: '127.0.0.1',
          PORT: '0',
          WORKER_METRICS_PORT: '0',
          // Nothing listens there: no entry may get as far as Temporal.
          TEMPORAL_ADDRESS: '127.0.0.1:1',
          DATABASE_URL: `sqlite:${path.join(dir, 'service.db')}`,
          DATA_DIR: dir,
          ...env,
        },
        // Well past a clean failure; a run that got further (serving, or waiting for Temporal) is stopped.
        timeout: 20_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

function expectOneClearLine(outcome: Outcome, line: RegExp): void {
  expect({ code: outcome.code, stderr: outcome.stderr.trim() }).toEqual({
    code: 1,
    stderr: expect.stringMatching(line),
  });
  expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
  for (const text of [outcome.stderr, outcome.stdout]) {
    expect(text).not.toMatch(/^\s+at /m);
    expect(text).not.toContain('s3cret-pw');
  }
}

const ENTRIES = ['src/api/main.ts', 'workers/main.ts'] as const;

describe.each(ENTRIES)('%s cannot start', (entry) => {
  afterAll(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  test('when the store was never migrated and the process may not migrate, then one line names the migrate command', async () => {
    const dir = freshDir();
    const outcome = await run(entry, {
      DATABASE_MIGRATE: 'false',
      DATABASE_URL: `sqlite:${path.join(dir, 'none.db')}`,
    });
    expectOneClearLine(
      outcome,
      /^Cannot open the service store at .*none\.db: there is no store .*DATABASE_MIGRATE=false.*npm run migrate/,
    );
  });

  test('when PostgreSQL does not answer, then one line names the host and DATABASE_URL, never the password', async () => {
    const outcome = await run(entry, { DATABASE_URL: 'postgres://svc:s3cret-pw@127.0.0.1:1/orchestrator' });
    expectOneClearLine(
      outcome,
      /^Cannot open the service store at 127\.0\.0\.1:1\/orchestrator: nothing accepts connections there; .*DATABASE_URL/,
    );
  });

  test('when the payload key file cannot be read, then one line names the file and PAYLOAD_ENCRYPTION_KEY_FILE', async () => {
    const dir = freshDir();
    const notAFile = path.join(dir, 'keys');
    mkdirSync(notAFile);
    const outcome = await run(entry, { PAYLOAD_ENCRYPTION_KEY_FILE: notAFile });
    expectOneClearLine(
      outcome,
      new RegExp(`^Cannot read the payload key file ${notAFile} \\(PAYLOAD_ENCRYPTION_KEY_FILE\\): EISDIR`),
    );
  });

  test('when the payload key file holds no valid key, then one line says what is wrong and which variables to set', async () => {
    const file = path.join(freshDir(), 'keys');
    writeFileSync(file, 'not a key\n');
    const outcome = await run(entry, { PAYLOAD_ENCRYPTION_KEY_FILE: file });
    expectOneClearLine(
      outcome,
      /^Cannot load the payload encryption keys: key entry 1: .*; set PAYLOAD_ENCRYPTION_KEYS or PAYLOAD_ENCRYPTION_KEY_FILE/,
    );
  });

  test('when the configuration is invalid, then one line names the variable', async () => {
    const outcome = await run(entry, { API_TEMPORAL_TIMEOUT_SECONDS: 'soon' });
    expectOneClearLine(outcome, /^Invalid configuration: API_TEMPORAL_TIMEOUT_SECONDS/);
  });
});

describe('the sandboxes (npm run sandbox) cannot start', () => {
  let taken: Server;
  let port: number;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    port = (taken.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((r) => taken.close(r));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  test("when the Clio sandbox's port is taken, then one line names the address and CLIO_BASE_URL", async () => {
    const outcome = await run('src/sandboxes/main.ts', {
      CLIO_BASE_URL: `http://127.0.0.1:${port}`,
      IMANAGE_BASE_URL: 'http://127.0.0.1:0',
    });
    expectOneClearLine(
      outcome,
      new RegExp(
        `^Cannot start the Clio sandbox on 127\\.0\\.0\\.1:${port}: the port is already in use; .*CLIO_BASE_URL`,
      ),
    );
  });
});
