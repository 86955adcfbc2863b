import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '../..');

/** A process using onShutdownSignal whose stop never finishes, as a worker whose activity ignores cancellation. */
function hangingStop(limitMs: number) {
  const script = `
    const { onShutdownSignal } = require('./src/dev/process.ts');
    onShutdownSignal(() => new Promise(() => {}), ${limitMs});
    setInterval(() => {}, 1000);
    process.stdout.write('ready\\n');
  `;
  return spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root });
}

test('when a stop does not finish within its limit, then the process says so in one line and exits 1', async () => {
  const child = hangingStop(800);
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const started = Date.now();
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code).toBe(1);
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(stderr).toBe('Shutdown did not finish within 1 s; exiting.\n');
});

test('Ctrl-C under npm (the signal comes twice: from the terminal and forwarded by npm) stops in order, not at once', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'clio-orch-signal-'));
  try {
    const script = path.join(dir, 'slow-stop.ts');
    writeFileSync(
      script,
      `import { onShutdownSignal } from ${JSON.stringify(path.join(root, 'src/dev/process'))};
      onShutdownSignal(() => new Promise<void>((resolve) => setTimeout(() => {
        process.stdout.write('stopped in order\\n');
        resolve();
      }, 1500)), 10_000);
      setInterval(() => {}, 1000);
      process.stdout.write('ready\\n');`,
    );
    // As the project's own npm scripts run: npm's child is node itself.
    const scripts = {
      slow: `cd ${JSON.stringify(root)} && exec node --import tsx ${JSON.stringify(script)}`,
    };
    writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'signal-echo', private: true, scripts }),
    );
    // Its own process group, as a terminal's foreground job: Ctrl-C signals every process in it.
    const npm = spawn('npm', ['run', '--silent', 'slow'], { cwd: dir, detached: true });
    let stdout = '';
    let stderr = '';
    npm.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    npm.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
    await new Promise<void>((resolve) => npm.stdout.on('data', () => stdout.includes('ready') && resolve()));
    process.kill(-npm.pid!, 'SIGINT');
    await exited;
    expect(stderr).not.toContain('again');
    expect(stdout).toContain('stopped in order');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
