import { type Knex } from 'knex';
import { z } from 'zod';
import { type SecretBox } from '../crypto/secret-box';
import { toDate } from './sql-values';

export interface IdempotencyRecord {
  tenant: string;
  key: string;
  /** sha256 hex of the canonical request (method, path, body), to answer 409 for the same key with another body. */
  requestHash: string;
  statusCode: number;
  responseBody: unknown;
  createdAt: Date;
  expiresAt: Date;
}

export type NewIdempotencyRecord = Omit<IdempotencyRecord, 'createdAt' | 'expiresAt'> & {
  /** How long the key is remembered. */
  ttlMs: number;
};

export type InsertResult =
  { inserted: true; record: IdempotencyRecord } | { inserted: false; record: IdempotencyRecord };

const newRecordSchema = z.object({
  tenant: z.string().min(1).max(64),
  key: z.string().min(1).max(255),
  requestHash: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 hex'),
  statusCode: z.number().int().min(100).max(599),
  responseBody: z.unknown(),
  ttlMs: z.number().int().positive(),
});

const TABLE = 'idempotency_keys';

export interface IdempotencyRepository {
  /** The live (not yet expired) record for this tenant and key, if any. */
  get(tenant: string, key: string): Promise<IdempotencyRecord | undefined>;
  /**
   * Stores the first answer for a key. When a live record already exists (a retry, or a concurrent request
   * that won the race) nothing is written and that record is returned, so the caller can replay it or 409.
   */
  insertIfAbsent(record: NewIdempotencyRecord): Promise<InsertResult>;
  /** Deletes records whose time is up; returns how many. */
  expireOld(): Promise<number>;
}

/**
 * Answers are sealed at rest (`box`, keyed by DATA_ENCRYPTION_KEY): one may carry a secret shown once, such as
 * a new webhook subscription's. The tenant and key are bound in as associated data, so a sealed answer moved to
 * another row does not open.
 */
export function createIdempotencyRepository(
  knex: Knex,
  box: SecretBox,
  now: () => Date = () => new Date(),
): IdempotencyRepository {
  const fromRow = (row: Row): IdempotencyRecord => ({
    tenant: row.tenant,
    key: row.key,
    requestHash: row.request_hash,
    statusCode: Number(row.status_code),
    responseBody: JSON.parse(
      // Rows stored before answers were sealed hold plain JSON, which never starts with the seal's version.
      row.response_body.startsWith(SEALED_PREFIX)
        ? box.open(row.response_body, boundTo(row.tenant, row.key))
        : row.response_body,
    ) as unknown,
    createdAt: toDate(row.created_at),
    expiresAt: toDate(row.expires_at),
  });
  const get = async (tenant: string, key: string): Promise<IdempotencyRecord | undefined> => {
    const row = (await knex(TABLE).where({ tenant, key }).andWhere('expires_at', '>', now()).first()) as
      Row | undefined;
    return row ? fromRow(row) : undefined;
  };

  return {
    get,
    insertIfAbsent: async (input) => {
      const r = newRecordSchema.parse(input);
      const createdAt = now();
      const expiresAt = new Date(createdAt.getTime() + r.ttlMs);
      // An expired row still holds the unique (tenant, key) until the sweeper runs: clear it first so an
      // expired key behaves as absent. ON CONFLICT DO NOTHING then settles concurrent inserts atomically.
      await knex(TABLE)
        .where({ tenant: r.tenant, key: r.key })
        .andWhere('expires_at', '<=', createdAt)
        .delete();
      const inserted = await knex(TABLE)
        .insert({
          tenant: r.tenant,
          key: r.key,
          request_hash: r.requestHash,
          status_code: r.statusCode,
          response_body: box.seal(JSON.stringify(r.responseBody ?? null), boundTo(r.tenant, r.key)),
          created_at: createdAt,
          expires_at: expiresAt,
        })
        .onConflict(['tenant', 'key'])
        .ignore()
        .returning('id');
      const row = (await knex(TABLE).where({ tenant: r.tenant, key: r.key }).first()) as Row | undefined;
      if (!row) throw new Error('idempotency record vanished right after insert');
      return { inserted: inserted.length > 0, record: fromRow(row) };
    },
    expireOld: async () => knex(TABLE).where('expires_at', '<=', now()).delete(),
  };
}

interface Row {
  tenant: string;
  key: string;
  request_hash: string;
  status_code: number;
  response_body: string;
  created_at: unknown;
  expires_at: unknown;
}

const SEALED_PREFIX = 'v1.';

function boundTo(tenant: string, key: string): string {
  return `idempotency\n${tenant}\n${key}`;
}
