import { randomBytes } from 'node:crypto';
import { REFRESH_TOKEN_TTL_SECONDS } from '../config';
import { type Db } from './db';

export interface IssuedTokens {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
}

const newToken = (): string => randomBytes(24).toString('base64url');

/** Tokens live in the database so a restarted sandbox (file database) still accepts them. */
export function issueTokens(db: Db, userId: string, ttlSeconds: number, refreshToken?: string): IssuedTokens {
  const now = Date.now();
  const access = newToken();
  const refresh = refreshToken ?? newToken();
  const insert = db.prepare('INSERT INTO tokens (token, kind, user_id, expires_at) VALUES (?, ?, ?, ?)');
  insert.run(access, 'access', userId, now + ttlSeconds * 1000);
  if (!refreshToken) insert.run(refresh, 'refresh', userId, now + REFRESH_TOKEN_TTL_SECONDS * 1000);
  db.prepare('DELETE FROM tokens WHERE expires_at < ?').run(now - 24 * 3600 * 1000);
  return { access_token: access, token_type: 'Bearer', expires_in: ttlSeconds, refresh_token: refresh };
}

export type TokenLookup = { status: 'valid'; userId: string } | { status: 'expired' } | { status: 'unknown' };

export function lookupToken(db: Db, token: string, kind: 'access' | 'refresh'): TokenLookup {
  const row = db
    .prepare('SELECT user_id, expires_at FROM tokens WHERE token = ? AND kind = ?')
    .get(token, kind) as { user_id: string; expires_at: number } | undefined;
  if (!row) return { status: 'unknown' };
  if (row.expires_at <= Date.now()) return { status: 'expired' };
  return { status: 'valid', userId: row.user_id };
}
