import { freePort } from '../../src/dev/ports';
import { findPgBin } from '../../src/dev/pg-bin';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';

/**
 * A PostgreSQL database for one test file. With TEST_DATABASE_URL set (CI with its own server) a fresh
 * database is created in that server; otherwise a throwaway cluster is initdb'ed into a temp dir and started
 * on a free port, as the `postgres` user when running as root (PostgreSQL refuses to run as root).
 */
export interface PgTestDatabase {
  url: string;
  release(): Promise<void>;
}

/**
 * `ownCluster`: always a throwaway cluster, even with TEST_DATABASE_URL (for tests that create cluster-wide
 * objects with fixed names, such as roles).
 */
export async function acquirePostgres(opts: { ownCluster?: boolean } = {}): Promise<PgTestDatabase> {
  const external = opts.ownCluster ? undefined : process.env.TEST_DATABASE_URL;
  const server = external ? { url: external, stop: () => undefined } : await startCluster();
  const name = `audit_test_${randomBytes(6).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: server.url, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(`CREATE DATABASE ${name}`);
  } finally {
    await admin.destroy();
  }
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    release: async () => {
      if (external) {
        const cleanup = knexFactory({ client: 'pg', connection: server.url, pool: { min: 0, max: 1 } });
        try {
          await cleanup.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await cleanup.destroy();
        }
      }
      server.stop();
    },
  };
}

async function startCluster(): Promise<{ url: string; stop: () => void }> {
  const bin = pgBin();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'pg-test-'));
  const dataDir = join(dir, 'data');
  const run = (cmd: string, args: string[]): void => {
    const full = join(bin, cmd);
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', full, ...args]] : [full, args];
    execFileSync(file, argv, { stdio: 'pipe', cwd: dir });
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  run('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  // Picked just before the start (initdb takes seconds): the port stays free only until another process takes it.
  const port = await freePort();
  run('pg_ctl', [
    '-D',
    dataDir,
    '-l',
    join(dir, 'server.log'),
    '-w',
    '-t',
    '60',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`,
    'start',
  ]);
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    const full = join(bin, 'pg_ctl');
    const args = ['-D', dataDir, '-m', 'immediate', '-w', 'stop'];
    spawnSync(asRoot ? 'runuser' : full, asRoot ? ['-u', 'postgres', '--', full, ...args] : args, {
      stdio: 'pipe',
    });
    rmSync(dir, { recursive: true, force: true });
  };
  // If the test process dies before afterAll, the cluster must not outlive it.
  process.once('exit', stop);
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
}

function pgBin(): string {
  const bin = findPgBin(process.env);
  if (!bin)
    throw new Error('PostgreSQL not found: install postgresql (Debian) or set TEST_DATABASE_URL or PG_BIN');
  return bin;
}
