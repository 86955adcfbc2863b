import { type Knex } from 'knex';
import { type ClioTokenSet } from './oauth-client';
import { type TokenCipher } from './token-cipher';

export const CLIO_TOKENS_TABLE = 'clio_oauth_tokens';

interface Row {
  tenant: string;
  access_token: string;
  refresh_token: string;
  expires_at: string | number;
  key_id: string;
  updated_at: string | Date;
}

/**
 * Each tenant's Clio tokens in the service database, sealed with AES-256-GCM: a copy of the database (or a
 * backup) holds no usable token without the key from config.
 */
export class ClioTokenStore {
  constructor(
    private readonly knex: Knex,
    private readonly cipher: TokenCipher,
  ) {}

  async save(tenant: string, tokens: ClioTokenSet): Promise<void> {
    await this.knex(CLIO_TOKENS_TABLE)
      .insert({ tenant, ...this.sealed(tenant, tokens) })
      .onConflict('tenant')
      .merge();
  }

  async load(tenant: string): Promise<ClioTokenSet | undefined> {
    return (await this.loadVersioned(tenant))?.tokens;
  }

  /**
   * The tokens with an opaque version of the row, for `replace`. The sealed refresh token serves: a fresh IV
   * on every save makes it differ between any two saves, even of the same tokens.
   */
  async loadVersioned(tenant: string): Promise<{ tokens: ClioTokenSet; version: string } | undefined> {
    const row = (await this.knex(CLIO_TOKENS_TABLE).where({ tenant }).first()) as Row | undefined;
    if (!row) return undefined;
    return {
      tokens: {
        accessToken: this.cipher.decrypt(row.access_token, `${tenant}:access`),
        refreshToken: this.cipher.decrypt(row.refresh_token, `${tenant}:refresh`),
        expiresAt: Number(row.expires_at),
      },
      version: row.refresh_token,
    };
  }

  /**
   * Refreshed tokens, kept only when the row is still the `version` they were refreshed from (one statement,
   * so on either database): a reconnect, a disconnect or another process's refresh since then wins, and a
   * refresh of the old grant that finishes later neither undoes the reconnect nor brings deleted tokens back.
   */
  async replace(tenant: string, version: string, tokens: ClioTokenSet): Promise<boolean> {
    const updated = await this.knex(CLIO_TOKENS_TABLE)
      .where({ tenant, refresh_token: version })
      .update(this.sealed(tenant, tokens));
    return updated === 1;
  }

  /** After Clio's deauthorize, or when the firm disconnects. */
  async delete(tenant: string): Promise<void> {
    await this.knex(CLIO_TOKENS_TABLE).where({ tenant }).delete();
  }

  private sealed(tenant: string, tokens: ClioTokenSet) {
    return {
      access_token: this.cipher.encrypt(tokens.accessToken, `${tenant}:access`),
      refresh_token: this.cipher.encrypt(tokens.refreshToken, `${tenant}:refresh`),
      // A bigint column: PostgreSQL refuses a fraction (an expires_in like 3599.9995 s gives one); never later.
      expires_at: Math.floor(tokens.expiresAt),
      key_id: this.cipher.keyId,
      updated_at: new Date().toISOString(),
    };
  }
}
