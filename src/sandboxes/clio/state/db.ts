import type Database from 'better-sqlite3';
import { openSqliteFile } from '../../shared/sqlite-file';

/**
 * One SQLite database holds the whole firm. Records are stored as JSON documents in their API shape
 * (money as integer cents, links as `{id}`), one table for all collections: the API is document
 * shaped, so a document store keeps every resource's fields without a migration per field.
 */
export type Db = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS records (
  collection TEXT NOT NULL,
  id INTEGER NOT NULL,
  doc TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (collection, id)
) WITHOUT ROWID;
-- Link filters: (collection, link id, id) so an equality filter also yields id order for cursor paging.
DROP INDEX IF EXISTS records_matter;
DROP INDEX IF EXISTS records_user;
DROP INDEX IF EXISTS records_task;
DROP INDEX IF EXISTS records_calendar_entry;
CREATE INDEX IF NOT EXISTS records_by_matter ON records (collection, json_extract(doc, '$.matter.id'), id);
CREATE INDEX IF NOT EXISTS records_by_user ON records (collection, json_extract(doc, '$.user.id'), id);
CREATE INDEX IF NOT EXISTS records_by_client ON records (collection, json_extract(doc, '$.client.id'), id);
CREATE INDEX IF NOT EXISTS records_by_task ON records (collection, json_extract(doc, '$.task.id'), id);
CREATE INDEX IF NOT EXISTS records_by_calendar_entry ON records (collection, json_extract(doc, '$.calendar_entry.id'), id);
CREATE TABLE IF NOT EXISTS sequences (collection TEXT PRIMARY KEY, next_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS oauth_tokens (
  access_token_hash TEXT PRIMARY KEY,
  refresh_token_hash TEXT,
  user_id INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS oauth_codes (
  code_hash TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  user_id INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS blobs (key TEXT PRIMARY KEY, content_type TEXT, body BLOB NOT NULL);
`;

export function openDb(file: string): Db {
  return openSqliteFile(file, SCHEMA);
}
