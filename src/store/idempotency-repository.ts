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
  /** A claim, not an answer: the key's first request is still being answered (`claim`). */
  pending: boolean;
}

export type NewIdempotencyRecord = Omit<IdempotencyRecord, 'createdAt' | 'expiresAt' | 'pending'> & {
  /** How long the key is remembered. */
  ttlMs: number;
};

export type InsertResult =
  { inserted: true; record: IdempotencyRecord } | { inserted: false; record: IdempotencyRecord };

/** A key held by the request being answered under it; `id` names the row, so only its holder settles it. */
export interface IdempotencyClaim {
  tenant: string;
  key: string;
  id: number;
}

export type ClaimResult =
  { claimed: true; claim: IdempotencyClaim } | { claimed: false; record: IdempotencyRecord };

/** The status a claimed row holds until its answer is stored: HTTP's own "Processing". */
const PENDING_STATUS = 102;

const newRecordSchema = z.object({
  tenant: z.string().min(1).max(64),
  key: z.string().min(1).max(255),
  requestHash: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 hex'),
  // From 200: a 1xx is never an answer, and 102 marks a claim.
  statusCode: z.number().int().min(200).max(599),
  responseBody: z.unknown(),
  ttlMs: z.number().int().positive(),
});

const claimSchema = z.object({
  tenant: newRecordSchema.shape.tenant,
  key: newRecordSchema.shape.key,
  requestHash: newRecordSchema.shape.requestHash,
  leaseMs: z.number().int().positive(),
});

const TABLE = 'idempotency_keys';

export interface IdempotencyRepository {
  /** The live (not yet expired) record for this tenant and key, if any; a claim shows as `pending`. */
  get(tenant: string, key: string): Promise<IdempotencyRecord | undefined>;
  /**
   * Stores the first answer for a key. When a live record already exists (a retry, or a concurrent request
   * that won the race) nothing is written and that record is returned, so the caller can replay it or 409.
   */
  insertIfAbsent(record: NewIdempotencyRecord): Promise<InsertResult>;
  /**
   * Holds a key while its first request is answered, so a second request with the key waits for that answer
   * instead of doing the work again (racing requests reach the route one at a time). The claim lapses after
   * `leaseMs` (a process that died holding it), and then behaves as absent. When the key is already held or
   * answered, that record is returned instead.
   */
  claim(input: { tenant: string; key: string; requestHash: string; leaseMs: number }): Promise<ClaimResult>;
  /**
   * Stores the answer in the claimed row. A claim that lapsed meanwhile (taken over, or swept) is settled as
   * `insertIfAbsent` would: the record returned is then whichever holds the key.
   */
  settle(
    claim: IdempotencyClaim,
    answer: Pick<NewIdempotencyRecord, 'requestHash' | 'statusCode' | 'responseBody' | 'ttlMs'>,
  ): Promise<InsertResult>;
  /** Gives the key up without an answer (the request was refused, or failed): the next request decides anew. */
  release(claim: IdempotencyClaim): Promise<void>;
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
    pending: Number(row.status_code) === PENDING_STATUS,
  });
  const get = async (tenant: string, key: string): Promise<IdempotencyRecord | undefined> => {
    const row = (await knex(TABLE).where({ tenant, key }).andWhere('expires_at', '>', now()).first()) as
      Row | undefined;
    return row ? fromRow(row) : undefined;
  };

  /**
   * Inserts a row for (tenant, key) unless a live one holds it; returns the row that holds it either way. An
   * expired row still holds the unique (tenant, key) until the sweeper runs: it is cleared first, so an expired
   * key behaves as absent. ON CONFLICT DO NOTHING then settles concurrent inserts atomically.
   */
  const insertOrFind = async (values: {
    tenant: string;
    key: string;
    request_hash: string;
    status_code: number;
    response_body: string;
    created_at: Date;
    expires_at: Date;
  }): Promise<{ inserted: boolean; row: Row }> => {
    const { tenant, key, created_at: createdAt } = values;
    // A claim released between our refused insert and the read leaves the key free: try it again.
    for (let attempt = 0; attempt < 3; attempt++) {
      await knex(TABLE).where({ tenant, key }).andWhere('expires_at', '<=', createdAt).delete();
      const inserted = await knex(TABLE)
        .insert(values)
        .onConflict(['tenant', 'key'])
        .ignore()
        .returning('id');
      const row = (await knex(TABLE).where({ tenant, key }).first()) as Row | undefined;
      if (row) return { inserted: inserted.length > 0, row };
    }
    throw new Error('idempotency record vanished right after insert');
  };
  const sealed = (tenant: string, key: string, body: unknown) =>
    box.seal(JSON.stringify(body ?? null), boundTo(tenant, key));
  const insertIfAbsent = async (input: NewIdempotencyRecord): Promise<InsertResult> => {
    const r = newRecordSchema.parse(input);
    const createdAt = now();
    const { inserted, row } = await insertOrFind({
      tenant: r.tenant,
      key: r.key,
      request_hash: r.requestHash,
      status_code: r.statusCode,
      response_body: sealed(r.tenant, r.key, r.responseBody),
      created_at: createdAt,
      expires_at: new Date(createdAt.getTime() + r.ttlMs),
    });
    return { inserted, record: fromRow(row) };
  };

  return {
    get,
    insertIfAbsent,
    claim: async (input) => {
      const r = claimSchema.parse(input);
      const createdAt = now();
      const { inserted, row } = await insertOrFind({
        tenant: r.tenant,
        key: r.key,
        request_hash: r.requestHash,
        status_code: PENDING_STATUS,
        response_body: 'null',
        created_at: createdAt,
        expires_at: new Date(createdAt.getTime() + r.leaseMs),
      });
      return inserted
        ? { claimed: true, claim: { tenant: r.tenant, key: r.key, id: Number(row.id) } }
        : { claimed: false, record: fromRow(row) };
    },
    settle: async (claim, answer) => {
      const r = newRecordSchema.parse({ ...answer, tenant: claim.tenant, key: claim.key });
      const createdAt = now();
      // The key's time runs from its answer, not from when the request came in.
      const updated = await knex(TABLE)
        .where({ id: claim.id, tenant: r.tenant, key: r.key, status_code: PENDING_STATUS })
        .update({
          request_hash: r.requestHash,
          status_code: r.statusCode,
          response_body: sealed(r.tenant, r.key, r.responseBody),
          created_at: createdAt,
          expires_at: new Date(createdAt.getTime() + r.ttlMs),
        });
      if (updated === 0) return insertIfAbsent(r);
      const row = (await knex(TABLE).where({ id: claim.id }).first()) as Row | undefined;
      // Swept between the two statements (a clock far off): stored anew.
      if (!row) return insertIfAbsent(r);
      return { inserted: true, record: fromRow(row) };
    },
    release: async (claim) => {
      await knex(TABLE)
        .where({ id: claim.id, tenant: claim.tenant, key: claim.key, status_code: PENDING_STATUS })
        .delete();
    },
    expireOld: async () => knex(TABLE).where('expires_at', '<=', now()).delete(),
  };
}

interface Row {
  id: number | string;
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
