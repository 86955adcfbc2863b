import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDb } from '../../../src/sandboxes/clio/state/db';

describe('the Clio sandbox database', () => {
  test('when DATA_DIR does not exist yet, then it is created rather than the sandbox failing to start', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'clio-sandbox-db-'));
    try {
      const file = path.join(root, 'not', 'yet', 'clio-sandbox.db');
      const db = openDb(file);
      db.close();
      expect(existsSync(file)).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
