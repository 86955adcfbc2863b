import type Database from 'better-sqlite3';
import { openSqliteFile } from '../../shared/sqlite-file';

export type Db = Database.Database;

/**
 * Searchable fields are columns; the rest of each record's stored API fields live in `profile` (JSON), so the
 * API shape can grow without migrations. Aliases and ids compare case-insensitively, as iManage searches do.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS custom1 (
  alias TEXT PRIMARY KEY COLLATE NOCASE, ssid INTEGER NOT NULL, profile TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS custom2 (
  parent_alias TEXT NOT NULL COLLATE NOCASE, alias TEXT NOT NULL COLLATE NOCASE, ssid INTEGER NOT NULL,
  profile TEXT NOT NULL, PRIMARY KEY (parent_alias, alias));
CREATE TABLE IF NOT EXISTS workspaces (
  number INTEGER PRIMARY KEY, custom1 TEXT COLLATE NOCASE, custom2 TEXT COLLATE NOCASE, profile TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS workspaces_custom ON workspaces (custom1, custom2);
CREATE TABLE IF NOT EXISTS folders (
  number INTEGER PRIMARY KEY, parent_number INTEGER NOT NULL, workspace_number INTEGER NOT NULL,
  profile TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS folders_parent ON folders (parent_number);
CREATE INDEX IF NOT EXISTS folders_workspace ON folders (workspace_number);
CREATE TABLE IF NOT EXISTS documents (
  number INTEGER NOT NULL, version INTEGER NOT NULL, folder_number INTEGER NOT NULL,
  workspace_number INTEGER NOT NULL, custom1 TEXT COLLATE NOCASE, custom2 TEXT COLLATE NOCASE,
  profile TEXT NOT NULL, content BLOB NOT NULL, PRIMARY KEY (number, version));
CREATE INDEX IF NOT EXISTS documents_folder ON documents (folder_number);
CREATE INDEX IF NOT EXISTS documents_workspace ON documents (workspace_number);
CREATE INDEX IF NOT EXISTS documents_custom ON documents (custom1, custom2);
CREATE TABLE IF NOT EXISTS tokens (
  token TEXT PRIMARY KEY, kind TEXT NOT NULL, user_id TEXT NOT NULL, expires_at INTEGER NOT NULL);
`;

/** Tables holding the library's content; tokens survive a reset so signed-in clients keep working. */
export const DATA_TABLES = ['counters', 'custom1', 'custom2', 'workspaces', 'folders', 'documents'] as const;

export function openDb(file: string): Db {
  return openSqliteFile(file, SCHEMA);
}

export function getMeta(db: Db, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}

/** Takes the next number of a sequence; call inside the transaction that uses it. */
export function nextNumber(db: Db, name: string, first: number): number {
  const row = db
    .prepare(
      `INSERT INTO counters (name, value) VALUES (?, ?)
       ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value`,
    )
    .get(name, first) as { value: number };
  return row.value;
}

export function setCounter(db: Db, name: string, value: number): void {
  db.prepare(
    'INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value',
  ).run(name, value);
}
