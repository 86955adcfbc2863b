import { spawn } from 'node:child_process';
import path from 'node:path';
import { loadConfig } from '../../src/config';

const root = path.join(__dirname, '../..');

test('TEMPORAL_ADDRESS takes host:port and [ipv6]:port, and refuses an IPv6 address without brackets', () => {
  expect(loadConfig({ TEMPORAL_ADDRESS: 'temporal.internal:7233' }).TEMPORAL_ADDRESS).toBe(
    'temporal.internal:7233',
  );
  expect(loadConfig({ TEMPORAL_ADDRESS: '[2001:db8::7]:7233' }).TEMPORAL_ADDRESS).toBe('[2001:db8::7]:7233');
  expect(() => loadConfig({ TEMPORAL_ADDRESS: '2001:db8::7:7233' })).toThrow(
    'TEMPORAL_ADDRESS: must be host:port (an IPv6 address in brackets: [::1]:7233)',
  );
});

test('npm start with an IPv6 TEMPORAL_ADDRESS says in one line that its dev server needs IPv4, and exits 1', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/dev/start.ts')], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'development', TEMPORAL_ADDRESS: '[::1]:7299' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code).toBe(1);
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).toMatch(
    /cannot listen on an IPv6 address \(TEMPORAL_ADDRESS=\[::1\]:7299\); set TEMPORAL_ADDRESS/,
  );
});
