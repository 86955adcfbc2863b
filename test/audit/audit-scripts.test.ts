import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createAuditStore, type AuditRecord } from '../../src/audit';
import { createDatabase, type Database } from '../../src/store';
import { testDialects } from '../store/dialects';
import { entry } from './fixtures';

const execFileAsync = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

async function script(
  name: string,
  args: string[],
  databaseUrl: string,
  extraEnv: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'scripts', name), ...args],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: databaseUrl, ...extraEnv },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe.each(testDialects())('audit scripts on $name', (dialect) => {
  let url: string;
  let db: Database;
  const records: AuditRecord[] = [];

  beforeAll(async () => {
    url = await dialect.setup();
    db = await createDatabase(url);
    let clock = new Date('2026-02-01T09:00:00.000Z');
    const audit = createAuditStore(db, { now: () => (clock = new Date(clock.getTime() + 86_400_000)) });
    records.push(
      (await audit.append(entry('s', 'k1', { rationale: 'conflict cleared, "no" overlap,\nsee memo' })))
        .record,
    );
    records.push((await audit.append(entry('s', 'k2'))).record);
    records.push((await audit.append(entry('s2', 'k1'))).record);
  });
  afterAll(async () => {
    await db?.close();
    await dialect.teardown();
  });

  it('when exporting a period as JSON Lines, then each line is a whole record in chain order', async () => {
    const { code, stdout } = await script(
      'audit-export.ts',
      ['--from', '2026-02-01', '--to', '2026-02-04', '--tenant', 's'],
      url,
    );
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditRecord);
    expect(lines).toEqual([records[0], records[1]]);
  });

  it('when exporting as CSV, then quoting survives commas, quotes and newlines', async () => {
    const { code, stdout } = await script(
      'audit-export.ts',
      ['--format', 'csv', '--from', '2026-02-02T00:00:00Z', '--to', '2026-02-03T00:00:00Z'],
      url,
    );
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^\uFEFFid,tenant,seq,time,actor_type/);
    expect(stdout).toContain('"conflict cleared, ""no"" overlap,\nsee memo"');
    expect(stdout).toContain(records[0]!.hash);
    expect(stdout).not.toContain(records[1]!.hash);
  });

  it('when the arguments are wrong, then the export stops with a message', async () => {
    const { code, stderr } = await script('audit-export.ts', ['--format', 'xml'], url);
    expect(code).toBe(2);
    expect(stderr).toMatch(/audit:export failed/);
  });

  it('when purging with the default retention, then recent records stay; a retention below one year is refused', async () => {
    const purge = await script('audit-purge.ts', [], url);
    expect(purge.code).toBe(0);
    expect(purge.stdout).toMatch(/removed 0 record\(s\) older than .* \(retention 7 years\)/);
    expect((await script('audit-purge.ts', [], url, { AUDIT_RETENTION_YEARS: '0' })).code).toBe(2);
    expect(await db.knex('audit_records').count({ n: '*' })).toEqual([
      { n: dialect.name === 'postgres' ? '3' : 3 },
    ]);
  });

  it('when the chain is untouched, then verify exits 0; after a row is tampered with, then it exits 1 naming the row', async () => {
    const ok = await script('audit-verify.ts', [], url);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/audit chain OK: 3 records in 2 tenant/);
    await db.knex.raw(
      dialect.name === 'postgres'
        ? 'DROP TRIGGER audit_records_no_update ON audit_records'
        : 'DROP TRIGGER audit_records_no_update',
    );
    await db.knex('audit_records').where({ id: records[0]!.id }).update({ rationale: 'conflict cleared' });
    const broken = await script('audit-verify.ts', [], url);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`tenant s, first broken record ${records[0]!.id} (seq 1)`);
    expect(broken.stdout).not.toContain('tenant s2');
    expect(`${broken.stdout}${broken.stderr}`).not.toContain(url);
  });
});
