import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquirePostgres } from './pg-server';

/**
 * The two databases every store and audit test runs against. `setup()` in beforeAll yields a DATABASE_URL;
 * `teardown()` in afterAll removes it (temp SQLite dir, or the throwaway PostgreSQL cluster/database).
 */
export interface TestDialect {
  name: 'sqlite' | 'postgres';
  setup(): Promise<string>;
  teardown(): Promise<void>;
}

export function testDialects(): TestDialect[] {
  let sqliteDir: string | undefined;
  let releasePg: (() => Promise<void>) | undefined;
  return [
    {
      name: 'sqlite',
      setup: () => {
        sqliteDir = mkdtempSync(join(tmpdir(), 'store-test-'));
        return Promise.resolve(`sqlite:${join(sqliteDir, 'nested', 'service.db')}`);
      },
      teardown: () => {
        if (sqliteDir) rmSync(sqliteDir, { recursive: true, force: true });
        return Promise.resolve();
      },
    },
    {
      name: 'postgres',
      setup: async () => {
        const pg = await acquirePostgres();
        releasePg = () => pg.release();
        return pg.url;
      },
      teardown: async () => {
        await releasePg?.();
      },
    },
  ];
}
