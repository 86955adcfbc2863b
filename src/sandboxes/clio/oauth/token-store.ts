import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../state/db';

/**
 * The pre-issued credentials of the contract, valid for tenant `sandbox` until deauthorized, as any grant is;
 * `POST /_sandbox/reset` issues them again.
 */
export const SANDBOX_CLIENT_ID = 'sandbox-client';
export const SANDBOX_CLIENT_SECRET = 'sandbox-secret';
export const SANDBOX_ACCESS_TOKEN = 'sandbox-access-token';
export const SANDBOX_REFRESH_TOKEN = 'sandbox-refresh-token';
const CODE_TTL_MS = 10 * 60_000;

/** Only hashes are stored, so a database file or dump never holds a usable token. */
const hash = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export interface IssuedTokens {
  token_type: 'bearer';
  access_token: string;
  expires_in: number;
  refresh_token: string;
}

export type TokenCheck = { ok: true; userId: number } | { ok: false; reason: string };

export class TokenStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new access token; the refresh token is reused (Clio Manage refresh tokens do not rotate). */
  issue(userId: number, ttlSeconds: number, refreshToken?: string): IssuedTokens {
    const access = randomBytes(24).toString('hex');
    const refresh = refreshToken ?? randomBytes(24).toString('hex');
    this.db
      .prepare(
        'INSERT INTO oauth_tokens (access_token_hash, refresh_token_hash, user_id, expires_at) VALUES (?, ?, ?, ?)',
      )
      .run(hash(access), hash(refresh), userId, this.now() + ttlSeconds * 1000);
    return { token_type: 'bearer', access_token: access, expires_in: ttlSeconds, refresh_token: refresh };
  }

  check(accessToken: string, defaultUserId: number): TokenCheck {
    if (accessToken === SANDBOX_ACCESS_TOKEN)
      return this.preIssuedRevoked()
        ? { ok: false, reason: 'The access token was revoked' }
        : { ok: true, userId: defaultUserId };
    const row = this.db
      .prepare('SELECT user_id, expires_at, revoked FROM oauth_tokens WHERE access_token_hash = ?')
      .get(hash(accessToken)) as { user_id: number; expires_at: number; revoked: number } | undefined;
    if (!row) return { ok: false, reason: 'The access token is invalid or malformed' };
    if (row.revoked) return { ok: false, reason: 'The access token was revoked' };
    if (row.expires_at <= this.now()) return { ok: false, reason: 'The access token expired' };
    return { ok: true, userId: row.user_id };
  }

  /** The user a refresh token belongs to, or undefined when unknown or revoked. */
  refreshOwner(refreshToken: string, defaultUserId: number): number | undefined {
    if (refreshToken === SANDBOX_REFRESH_TOKEN) return this.preIssuedRevoked() ? undefined : defaultUserId;
    const row = this.db
      .prepare('SELECT user_id FROM oauth_tokens WHERE refresh_token_hash = ? AND revoked = 0 LIMIT 1')
      .get(hash(refreshToken)) as { user_id: number } | undefined;
    return row?.user_id;
  }

  /** Deauthorisation revokes the grant: every token sharing the access token's refresh token. */
  revoke(accessToken: string): boolean {
    const row =
      accessToken === SANDBOX_ACCESS_TOKEN
        ? { refresh_token_hash: hash(SANDBOX_REFRESH_TOKEN) }
        : (this.db
            .prepare('SELECT refresh_token_hash FROM oauth_tokens WHERE access_token_hash = ?')
            .get(hash(accessToken)) as { refresh_token_hash: string } | undefined);
    if (!row) return false;
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE oauth_tokens SET revoked = 1 WHERE refresh_token_hash = ?')
        .run(row.refresh_token_hash);
      // The pre-issued pair has no row of its own: the revoked grant is written down as one.
      if (row.refresh_token_hash === hash(SANDBOX_REFRESH_TOKEN))
        this.db
          .prepare(
            'INSERT OR REPLACE INTO oauth_tokens (access_token_hash, refresh_token_hash, user_id, expires_at, revoked) VALUES (?, ?, 0, 0, 1)',
          )
          .run(hash(SANDBOX_ACCESS_TOKEN), hash(SANDBOX_REFRESH_TOKEN));
    })();
    return true;
  }

  /**
   * Ends every issued access token now; their grants stand (`POST /_sandbox/expire-access-tokens`). Clients meet
   * the 401 of a token refused before they expected, and must refresh. The pre-issued token is not affected.
   */
  expireAccessTokens(): number {
    const now = this.now();
    return this.db
      .prepare('UPDATE oauth_tokens SET expires_at = ? WHERE revoked = 0 AND expires_at > ?')
      .run(now, now).changes;
  }

  /**
   * A reset issues a deauthorized pre-issued grant again (its revoked tokens go with the revocation). A grant in
   * use is left alone: clients holding its tokens keep working across resets.
   */
  restorePreIssued(): void {
    if (this.preIssuedRevoked())
      this.db
        .prepare('DELETE FROM oauth_tokens WHERE refresh_token_hash = ?')
        .run(hash(SANDBOX_REFRESH_TOKEN));
  }

  private preIssuedRevoked(): boolean {
    return (
      this.db
        .prepare('SELECT 1 FROM oauth_tokens WHERE refresh_token_hash = ? AND revoked = 1 LIMIT 1')
        .get(hash(SANDBOX_REFRESH_TOKEN)) !== undefined
    );
  }

  createCode(clientId: string, redirectUri: string, userId: number): string {
    const code = randomBytes(16).toString('hex');
    this.db
      .prepare(
        'INSERT INTO oauth_codes (code_hash, client_id, redirect_uri, user_id, expires_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(hash(code), clientId, redirectUri, userId, this.now() + CODE_TTL_MS);
    return code;
  }

  /** Codes are single-use and live 10 minutes; the redirect URI must be sent, and match the one authorised. */
  redeemCode(code: string, clientId: string, redirectUri: string | undefined): number | undefined {
    return this.db.transaction(() => {
      const row = this.db
        .prepare(
          'SELECT client_id, redirect_uri, user_id, expires_at, used FROM oauth_codes WHERE code_hash = ?',
        )
        .get(hash(code)) as
        | { client_id: string; redirect_uri: string; user_id: number; expires_at: number; used: number }
        | undefined;
      if (!row || row.used || row.expires_at <= this.now() || row.client_id !== clientId) return undefined;
      // RFC 6749 §4.1.3: the exchange names the redirect URI the code was issued for, and the same one.
      if (redirectUri !== row.redirect_uri) return undefined;
      this.db.prepare('UPDATE oauth_codes SET used = 1 WHERE code_hash = ?').run(hash(code));
      return row.user_id;
    })();
  }
}
