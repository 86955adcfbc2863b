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
    const row = {
      tenant,
      access_token: this.cipher.encrypt(tokens.accessToken, `${tenant}:access`),
      refresh_token: this.cipher.encrypt(tokens.refreshToken, `${tenant}:refresh`),
      // A bigint column: PostgreSQL refuses a fraction (an expires_in like 3599.9995 s gives one); never later.
      expires_at: Math.floor(tokens.expiresAt),
      key_id: this.cipher.keyId,
      updated_at: new Date().toISOString(),
    };
    await this.knex(CLIO_TOKENS_TABLE).insert(row).onConflict('tenant').merge();
  }

  async load(tenant: string): Promise<ClioTokenSet | undefined> {
    const row = (await this.knex(CLIO_TOKENS_TABLE).where({ tenant }).first()) as Row | undefined;
    if (!row) return undefined;
    return {
      accessToken: this.cipher.decrypt(row.access_token, `${tenant}:access`),
      refreshToken: this.cipher.decrypt(row.refresh_token, `${tenant}:refresh`),
      expiresAt: Number(row.expires_at),
    };
  }

  /** After Clio's deauthorize, or when the firm disconnects. */
  async delete(tenant: string): Promise<void> {
    await this.knex(CLIO_TOKENS_TABLE).where({ tenant }).delete();
  }
}
