import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of the file system the finder reads (injected in tests). */
export interface PgBinFs {
  exists(file: string): boolean;
  readdir(dir: string): string[];
}

const nodeFs: PgBinFs = { exists: existsSync, readdir: (dir) => readdirSync(dir) };

/** Where Debian's postgresql packages put each major version's server binaries. */
export const DEBIAN_PG_ROOT = '/usr/lib/postgresql';

/**
 * The folder with PostgreSQL's server binaries (initdb, pg_ctl) the tests start throwaway clusters with:
 * PG_BIN when it holds initdb, else the newest of Debian's /usr/lib/postgresql/<version>/bin; undefined if none.
 */
export function findPgBin(env: NodeJS.ProcessEnv = process.env, fs: PgBinFs = nodeFs): string | undefined {
  const fromEnv = env.PG_BIN;
  if (fromEnv && fs.exists(join(fromEnv, 'initdb'))) return fromEnv;
  const versions = fs.exists(DEBIAN_PG_ROOT)
    ? fs.readdir(DEBIAN_PG_ROOT).sort((a, b) => Number(b) - Number(a))
    : [];
  for (const v of versions) {
    const bin = join(DEBIAN_PG_ROOT, v, 'bin');
    if (fs.exists(join(bin, 'initdb'))) return bin;
  }
  return undefined;
}
