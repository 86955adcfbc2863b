import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * A sandbox's SQLite database, created with its schema. A fresh checkout has no data folder yet (SQLite would
 * refuse to create the file), so it is made here. WAL keeps readers going while a write commits and keeps the
 * file consistent if the process dies mid-write; in-memory databases ignore it.
 */
export function openSqliteFile(file: string, schema: string): Database.Database {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  if (file !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(schema);
  return db;
}
