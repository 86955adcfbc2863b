import type { Db } from '../state/db';

/**
 * The portal's own tables, in the sandbox's SQLite file, so a signed-in session survives a sandbox
 * restart as a real one would. Secrets (cookie values, codes) are stored only as hashes, except the
 * SMS outbox, which is the "phone" the contract exposes at /_sandbox/outbox.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS portal_signins (
  id_hash TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  step TEXT NOT NULL,
  keep INTEGER NOT NULL DEFAULT 0,
  user_id INTEGER,
  code_hash TEXT,
  code_expires_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS portal_sessions (
  id_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL,
  csrf TEXT NOT NULL,
  keep INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS portal_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  to_number TEXT NOT NULL,
  code TEXT NOT NULL,
  sent_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS portal_totp_steps (
  user_id INTEGER PRIMARY KEY,
  last_step INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS portal_jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  state TEXT NOT NULL,
  progress INTEGER NOT NULL,
  input TEXT NOT NULL,
  result TEXT,
  error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`;

export function ensurePortalTables(db: Db): void {
  db.exec(SCHEMA);
}

export function clearPortalTables(db: Db): void {
  db.exec(
    'DELETE FROM portal_signins; DELETE FROM portal_sessions; DELETE FROM portal_outbox; DELETE FROM portal_jobs; DELETE FROM portal_totp_steps;',
  );
}
