import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Knex } from 'knex';
import { toDate } from '../../store/sql-values';
import { z } from 'zod';
import { type Principal, ROLES, type Role } from './principal';

const TABLE = 'api_keys';
/** `co_<id>_<secret>`: the id finds the row, the secret proves possession; only the secret's hash is stored. */
const KEY_PATTERN = /^co_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export const NewApiKeySchema = z.object({
  tenant: z.string().regex(/^[a-z0-9-]{1,40}$/, 'lowercase letters, digits and dashes'),
  role: z.enum(ROLES),
  name: z.string().trim().min(1).max(200),
  /**
   * The person the key acts for, as the firm knows them (an email address or a staff id): one word, compared
   * without regard to case. Audit records name this person; several keys of one person share it.
   */
  user: z
    .string()
    .trim()
    .min(1)
    .regex(/^[^\s\p{C}]+$/u, 'must be one word naming the person (an email address or staff id)')
    // One spelling per person: é typed as one character or as e and an accent is the same name (NFC). Measured
    // once lower-cased, as it is stored: some letters grow (İ is two characters in lower case).
    .transform((v) => v.normalize('NFC').toLowerCase())
    .pipe(z.string().max(200))
    .optional(),
});

export interface ApiKeyInfo {
  id: string;
  tenant: string;
  role: Role;
  name: string;
  /** The person the key acts for; null for a key that names nobody. */
  user: string | null;
  createdAt: string;
  revokedAt: string | null;
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function createApiKeyRepository(knex: Knex) {
  return {
    /**
     * Creates a key and returns it in full: the only time the secret exists outside the caller's hands.
     * `alongside` runs in the same transaction once the row is written (the key's audit record): if it fails,
     * the key was never created.
     */
    async create(
      input: z.input<typeof NewApiKeySchema>,
      alongside?: (trx: Knex.Transaction, info: ApiKeyInfo) => Promise<unknown>,
    ): Promise<{ key: string; info: ApiKeyInfo }> {
      const { tenant, role, name, user } = NewApiKeySchema.parse(input);
      const id = randomBytes(9)
        .toString('base64url')
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '0')
        .slice(0, 12);
      const secret = randomBytes(32).toString('base64url');
      const createdAt = new Date();
      const info: ApiKeyInfo = {
        id,
        tenant,
        role,
        name,
        user: user ?? null,
        createdAt: createdAt.toISOString(),
        revokedAt: null,
      };
      await knex.transaction(async (trx) => {
        await trx(TABLE).insert({
          id,
          tenant,
          role,
          name,
          user_id: user ?? null,
          secret_hash: hashSecret(secret),
          created_at: createdAt,
        });
        await alongside?.(trx, info);
      });
      return { key: `co_${id}_${secret}`, info };
    },

    async list(tenant?: string): Promise<ApiKeyInfo[]> {
      const rows = (await knex(TABLE)
        .modify((q) => (tenant ? q.where({ tenant }) : q))
        .orderBy('created_at')) as Row[];
      return rows.map(toInfo);
    },

    async get(id: string): Promise<ApiKeyInfo | undefined> {
      const row = (await knex(TABLE).where({ id }).first()) as Row | undefined;
      return row && toInfo(row);
    },

    async revoke(id: string): Promise<boolean> {
      const n = await knex(TABLE).where({ id }).whereNull('revoked_at').update({ revoked_at: new Date() });
      return n > 0;
    },

    /** The principal a presented key stands for, or undefined for an unknown, malformed or revoked key. */
    async resolve(key: string): Promise<Principal | undefined> {
      const m = KEY_PATTERN.exec(key);
      if (!m) return undefined;
      const row = (await knex(TABLE).where({ id: m[1] }).whereNull('revoked_at').first()) as Row | undefined;
      if (!row) return undefined;
      const presented = Buffer.from(hashSecret(m[2]!), 'hex');
      const stored = Buffer.from(row.secret_hash, 'hex');
      if (presented.length !== stored.length || !timingSafeEqual(presented, stored)) return undefined;
      return {
        tenant: row.tenant,
        role: row.role,
        apiKeyId: row.id,
        name: row.name,
        ...(row.user_id ? { userId: row.user_id } : {}),
      };
    },
  };
}

export type ApiKeyRepository = ReturnType<typeof createApiKeyRepository>;

interface Row {
  id: string;
  tenant: string;
  role: Role;
  name: string;
  user_id: string | null;
  secret_hash: string;
  created_at: unknown;
  revoked_at: unknown;
}

function iso(v: unknown): string | null {
  return v === null || v === undefined ? null : toDate(v).toISOString();
}

function toInfo(row: Row): ApiKeyInfo {
  return {
    id: row.id,
    tenant: row.tenant,
    role: row.role,
    name: row.name,
    user: row.user_id ?? null,
    createdAt: iso(row.created_at)!,
    revokedAt: iso(row.revoked_at),
  };
}
