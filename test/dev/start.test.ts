/**
 * `npm start` (src/dev/start.ts) as a person runs it: the whole system in one child process on free ports, then
 * Ctrl-C. What is checked is what they would see: the ready banner, the worker's metrics page, the order of the
 * shutdown, the exit code, and no process of it left behind (the Temporal dev server, Chromium).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/dev/ports';
import { SIGNAL_ECHO_MS } from '../../src/dev/process';

const root = path.join(__dirname, '../..');

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  dir: string;
  metricsPort: number;
  apiPort: number;
}

async function startSystem(host: string): Promise<Started> {
  const dir = mkdtempSync(path.join(tmpdir(), 'clio-orch-start-'));
  const apiPort = await freePort();
  const temporalPort = await freePort();
  const uiPort = await freePort();
  const metricsPort = await freePort();
  const clioPort = await freePort();
  const imanagePort = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/dev/start.ts')], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      HOST: host,
      PORT: String(apiPort),
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      TEMPORAL_UI_PORT: String(uiPort),
      TEMPORAL_DB_FILE: path.join(dir, 'temporal.db'),
      WORKER_METRICS_PORT: String(metricsPort),
      CLIO_BASE_URL: `http://127.0.0.1:${clioPort}`,
      IMANAGE_BASE_URL: `http://127.0.0.1:${imanagePort}`,
      DATA_DIR: dir,
      DATABASE_URL: `sqlite:${path.join(dir, 'service.db')}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited, dir, metricsPort, apiPort };
}

/** Resolves once the ready banner is out; rejects with the output if the process exits first. */
async function ready(started: Started, timeoutMs = 150_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (started.output().includes('clio-orchestrator is ready.')) return;
    if (started.child.exitCode !== null || Date.now() > deadline)
      throw new Error(`npm start did not get ready (exit ${started.child.exitCode}):\n${started.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Every process below `pid` (read from /proc), with its command line, to look for after the exit. */
function descendants(pid: number): Map<number, string> {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found = new Map<number, string>();
  let frontier = [pid];
  while (frontier.length > 0) {
    const next: number[] = [];
    for (const [child, parent] of parentOf)
      if (frontier.includes(parent) && !found.has(child)) {
        found.set(child, commandLine(child));
        next.push(child);
      }
    frontier = next;
  }
  return found;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

/** Those of `before` still running as the same program (a pid reused by another program does not count). */
async function survivors(before: Map<number, string>, graceMs = 3000): Promise<string[]> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    const left = [...before]
      .filter(([pid, cmd]) => existsSync(`/proc/${pid}`) && commandLine(pid) === cmd && cmd !== '')
      .map(([pid, cmd]) => `${pid} ${cmd.slice(0, 120)}`);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const running: Started[] = [];
afterAll(() => {
  for (const s of running) {
    if (s.child.exitCode === null) s.child.kill('SIGKILL');
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test('with HOST=::1, npm start gets ready with the worker metrics on [::1], and Ctrl-C (its signal twice at once, as under npm) stops it in order, exit 0, nothing left running', async () => {
  const started = await startSystem('::1');
  running.push(started);
  await ready(started);
  expect(started.output()).toContain(`Worker metrics    http://[::1]:${started.metricsPort}/metrics`);
  const metrics = await fetch(`http://[::1]:${started.metricsPort}/metrics`);
  expect(metrics.status).toBe(200);
  expect((await fetch(`http://[::1]:${started.apiPort}/readyz`)).status).toBe(200);

  const processes = descendants(started.child.pid!);
  expect([...processes.values()].some((cmd) => cmd.includes('server start-dev'))).toBe(true);
  // Twice, as Ctrl-C under `npm start` arrives: from the terminal and forwarded by npm.
  started.child.kill('SIGINT');
  started.child.kill('SIGINT');
  const exit = await started.exited;
  const stops = started
    .output()
    .split('\n')
    .filter((l) => l.startsWith('Stopping '));
  expect({ exit, stops }).toEqual({
    exit: { code: 0, signal: null },
    stops: [
      'Stopping the HTTP API...',
      'Stopping the Temporal client...',
      'Stopping the worker (draining running activities)...',
      'Stopping the service store...',
      'Stopping the sandboxes...',
      'Stopping the Temporal server...',
    ],
  });
  expect(await survivors(processes)).toEqual([]);
}, 240_000);

test('with HOST=localhost, npm start gets ready (metrics on the address localhost resolves to), and a second Ctrl-C while stopping exits at once', async () => {
  const started = await startSystem('localhost');
  running.push(started);
  await ready(started);
  const metrics = await fetch(`http://localhost:${started.metricsPort}/metrics`);
  expect(metrics.status).toBe(200);

  const processes = descendants(started.child.pid!);
  started.child.kill('SIGINT');
  // Later than an echo of the first (which npm sends at once): a person pressing Ctrl-C again.
  await new Promise((r) => setTimeout(r, SIGNAL_ECHO_MS + 100));
  const secondAt = Date.now();
  started.child.kill('SIGINT');
  const exit = await started.exited;
  expect({ exit, fast: Date.now() - secondAt < 5000 }).toEqual({
    exit: { code: 130, signal: null },
    fast: true,
  });
  expect(started.output()).toMatch(/SIGINT received again: exiting now/);
  expect(await survivors(processes, 5000)).toEqual([]);
}, 240_000);
