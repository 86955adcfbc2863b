import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { userInfo } from 'node:os';
import path from 'node:path';
import { createAuditStore } from '../../src/audit';
import { createDatabase } from '../../src/store/database';

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
    const jo = await run(
      'apikey.ts',
      ['create', '--tenant', 'acme', '--role', 'billing', '--name', 'Jo laptop', '--user', 'Jo@Firm.com'],
      env,
    );
    expect(jo.stdout).toContain('user jo@firm.com');
    const listed = await run('apikey.ts', ['list', '--tenant', 'acme'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/active {2}\(no user\) {2}erp\n/);
    expect(listed.stdout).toMatch(/active {2}jo@firm\.com {2}Jo laptop\n/);
    expect(listed.stdout).not.toContain(key!);
  });

  test('when a person leaves the firm, then revoking by --user takes every key of theirs in the tenant, each recorded, and no one else’s', async () => {
    const create = (name: string, user?: string) =>
      run(
        'apikey.ts',
        [
          'create',
          '--tenant',
          'offboard',
          '--role',
          'billing',
          '--name',
          name,
          ...(user ? ['--user', user] : []),
        ],
        env,
      );
    for (const [name, user] of [
      ['Jo laptop', 'Jo@Firm.law'],
      ['Jo phone', 'jo@firm.law'],
      ['Sam laptop', 'sam@firm.law'],
      ['ERP', undefined],
    ] as const)
      expect((await create(name, user)).code).toBe(0);
    const jos = await run('apikey.ts', ['list', '--tenant', 'offboard', '--user', 'JO@FIRM.LAW'], env);
    expect(
      jos.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('  ').pop()),
    ).toEqual(['Jo laptop', 'Jo phone']);

    const revoked = await run('apikey.ts', ['revoke', '--tenant', 'offboard', '--user', 'jo@firm.law'], env);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/Revoked \w+ \(Jo laptop\)\nRevoked \w+ \(Jo phone\)\n/);
    const listed = await run('apikey.ts', ['list', '--tenant', 'offboard'], env);
    expect(listed.stdout).toMatch(/revoked \S+ {2}jo@firm\.law {2}Jo laptop/);
    expect(listed.stdout).toMatch(/revoked \S+ {2}jo@firm\.law {2}Jo phone/);
    expect(listed.stdout).toMatch(/active {2}sam@firm\.law {2}Sam laptop/);
    expect(listed.stdout).toMatch(/active {2}\(no user\) {2}ERP/);

    const again = await run('apikey.ts', ['revoke', '--tenant', 'offboard', '--user', 'jo@firm.law'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('No active key of jo@firm.law in tenant offboard');
    const db = await createDatabase(env.DATABASE_URL!);
    try {
      const page = await createAuditStore(db).query({
        tenant: 'offboard',
        action: 'api_key.revoked',
        limit: 10,
      });
      expect(page.records.map((r) => r.refs?.user)).toEqual(['jo@firm.law', 'jo@firm.law']);
    } finally {
      await db.close();
    }
  });

  test('when a key is created and revoked, then both acts are in the tenant audit trail, once each, naming who ran the command', async () => {
    const created = await run(
      'apikey.ts',
      ['create', '--tenant', 'lexco', '--role', 'admin', '--name', 'ops'],
      env,
    );
    expect(created.code).toBe(0);
    const id = /API key (\w+)/.exec(created.stdout)![1]!;
    expect((await run('apikey.ts', ['revoke', '--id', id], env)).stdout).toContain(`Revoked ${id}`);
    const again = await run('apikey.ts', ['revoke', '--id', id], env);
    expect(again.stdout).toContain('already revoked');
    const unknown = await run('apikey.ts', ['revoke', '--id', 'nosuchkey000'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No key nosuchkey000');

    const db = await createDatabase(env.DATABASE_URL!);
    try {
      const page = await createAuditStore(db).query({ tenant: 'lexco', limit: 10 });
      const records = page.records.map((r) => ({
        action: r.action,
        key: r.target.ids.apiKeyId,
        actor: r.actor.id,
        role: r.refs?.role,
      }));
      expect(records).toHaveLength(2);
      expect(records).toEqual(
        expect.arrayContaining([
          {
            action: 'api_key.created',
            key: id,
            actor: expect.stringContaining(userInfo().username),
            role: 'admin',
          },
          {
            action: 'api_key.revoked',
            key: id,
            actor: expect.stringContaining(userInfo().username),
            role: 'admin',
          },
        ]),
      );
      expect((await createAuditStore(db).verify('lexco')).ok).toBe(true);
    } finally {
      await db.close();
    }
  });

  test.each([
    ['apikey.ts', ['list', '--bogus'], {}, "apikey failed: Unknown option '--bogus'"],
    [
      'apikey.ts',
      ['create', '--tenant', 'acme', '--role', 'admin', '--name', 'x', '--user', 'Jo Smith'],
      {},
      'Invalid: --user must be one word naming the person',
    ],
    [
      'apikey.ts',
      ['revoke', '--user', 'jo@firm.law'],
      {},
      'revoke takes --id ID, or --tenant T with --user U',
    ],
    [
      'apikey.ts',
      ['revoke', '--id', 'abc', '--tenant', 'acme', '--user', 'jo@firm.law'],
      {},
      'revoke takes --id ID, or --tenant T with --user U',
    ],
    ['apikey.ts', ['list', '--user', 'Jo Smith'], {}, 'Invalid: --user must be one word naming the person'],
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
