import { spawn } from 'node:child_process';
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
