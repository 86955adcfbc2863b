import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '../..');

/** Runs `npm run <script>`'s file as npm would, in a fresh database, and collects what an operator sees. */
function run(script: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'scripts', script), ...args],
      { cwd: root, env: { ...process.env, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

describe('the operator commands', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'clio-orch-cli-'));
    env = { DATABASE_URL: `sqlite:${path.join(dir, 'service.db')}` };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('when a key is created and listed, then it is shown once and listed without its secret', async () => {
    const created = await run(
      'apikey.ts',
      ['create', '--tenant', 'acme', '--role', 'billing', '--name', 'erp'],
      env,
    );
    expect(created.code).toBe(0);
    const key = /co_\S+/.exec(created.stdout)?.[0];
    expect(key).toBeTruthy();
    const listed = await run('apikey.ts', ['list', '--tenant', 'acme'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('erp');
    expect(listed.stdout).not.toContain(key!);
  });

  test.each([
    ['apikey.ts', ['list', '--bogus'], {}, "apikey failed: Unknown option '--bogus'"],
    ['audit-verify.ts', ['--tenant'], {}, 'audit:verify failed:'],
    ['audit-export.ts', ['--from', 'yesterday'], {}, 'audit:export failed:'],
    ['audit-purge.ts', [], { AUDIT_RETENTION_YEARS: '2' }, 'AUDIT_RETENTION_YEARS: must be at least 5 years'],
    // In production the store must be named, as for the service: not a fresh local file that verifies "OK".
    [
      'audit-verify.ts',
      [],
      { NODE_ENV: 'production', DATABASE_URL: '' },
      'DATABASE_URL: required in production',
    ],
  ])(
    'when %s is run with bad input %j, then it exits 2 with one line of reason and no stack',
    async (script, args, extra, reason) => {
      const result = await run(script, args, { ...env, ...extra });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(reason);
      expect(result.stderr).not.toMatch(/^\s+at /m);
    },
  );
});
