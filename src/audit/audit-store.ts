import { randomUUID } from 'node:crypto';
import { type Knex } from 'knex';
import { type Database } from '../store';
import { appendInputSchema, type AuditAppendInput, type AuditRecord } from './audit-record';
import { fromRow, lockHead, HEADS, RECORDS, toRow, type AuditRow } from './audit-rows';
import { purgeExpired, type PurgeResult } from './purge';
import {
  iterateRecords,
  queryRecords,
  type AuditExportFilter,
  type AuditPage,
  type AuditQuery,
} from './query';
import { canonicalJson, computeRecordHash } from './record-hash';
import { DEFAULT_RETENTION_YEARS, retentionCutoff, retentionYearsSchema } from './retention';
import { verifyChains, type VerifyResult } from './verify';

export interface AppendResult {
  record: AuditRecord;
  /** False when a record with this idempotency key already existed (a retried activity): nothing was written. */
  created: boolean;
}

/**
 * The audit log. Deliberately no update or delete: the only removal is `purgeExpired`, which by construction
 * touches nothing inside the retention window.
 */
export interface AppendOptions {
  /**
   * Append inside this transaction of the service store, so the record and the act it records (a row the caller
   * wrote in it) are kept or lost together.
   */
  trx?: Knex.Transaction;
}

export interface AuditStore {
  append(input: AuditAppendInput, options?: AppendOptions): Promise<AppendResult>;
  query(query: AuditQuery): Promise<AuditPage>;
  iterate(filter?: AuditExportFilter): AsyncIterable<AuditRecord>;
  verify(tenant?: string): Promise<VerifyResult>;
  purgeExpired(): Promise<PurgeResult>;
  readonly retentionYears: number;
}

export interface AuditStoreOptions {
  /** Years records are kept before purgeExpired may remove them (default 7). */
  retentionYears?: number;
  /** Clock; tests inject one. */
  now?: () => Date;
}

export function createAuditStore(db: Database, options: AuditStoreOptions = {}): AuditStore {
  const { knex, dialect } = db;
  const now = options.now ?? (() => new Date());
  const retentionYears = retentionYearsSchema.parse(options.retentionYears ?? DEFAULT_RETENTION_YEARS);

  const append = async (input: AuditAppendInput, options: AppendOptions = {}): Promise<AppendResult> => {
    const fields = wellFormed(appendInputSchema.parse(input));
    // Check before taking the tenant lock: a retried activity's duplicate is answered without contention.
    const found = await findByKey(options.trx ?? knex, fields.tenant, fields.idempotencyKey);
    if (found) return { record: sameAct(found, fields), created: false };
    const inTransaction = <T>(work: (trx: Knex.Transaction) => Promise<T>) =>
      options.trx ? work(options.trx) : knex.transaction(work);
    return inTransaction(async (trx) => {
      const head = await lockHead(trx, dialect, fields.tenant);
      // Checked again under the lock: a concurrent append with the same key may have committed meanwhile.
      const existing = await trx<AuditRow>(RECORDS)
        .where({ tenant: fields.tenant, idempotency_key: fields.idempotencyKey })
        .first();
      if (existing) return { record: sameAct(fromRow(existing), fields), created: false };
      const unsigned = {
        ...fields,
        id: randomUUID(),
        seq: head.last_seq + 1,
        time: now().toISOString(),
        prevHash: head.last_hash,
      };
      const record: AuditRecord = { ...unsigned, hash: computeRecordHash(unsigned) };
      await trx(RECORDS).insert(toRow(record));
      await trx(HEADS)
        .where({ tenant: record.tenant })
        .update({ last_seq: record.seq, last_hash: record.hash });
      return { record, created: true };
    });
  };

  const findByKey = async (
    db: Knex,
    tenant: string,
    idempotencyKey: string,
  ): Promise<AuditRecord | undefined> => {
    const row = await db<AuditRow>(RECORDS).where({ tenant, idempotency_key: idempotencyKey }).first();
    return row ? fromRow(row) : undefined;
  };

  return {
    append,
    query: (query) => queryRecords(knex, query),
    iterate: (filter = {}) => iterateRecords(knex, filter),
    verify: (tenant) => verifyChains(knex, tenant, retentionCutoff(now(), retentionYears)),
    purgeExpired: () => purgeExpired(knex, dialect, now(), retentionYears),
    retentionYears,
  };
}

/**
 * A second append under an idempotency key must be the same act (a retried activity, or a new run of the same
 * workflow redoing the step: the run id may differ). Anything else under the key is a bug or a forgery, and
 * answering it with the first record would silently drop what the caller meant to record.
 */
export class AuditIdempotencyConflictError extends Error {
  constructor(
    readonly tenant: string,
    readonly idempotencyKey: string,
    readonly fields: string[],
  ) {
    super(
      `audit record ${idempotencyKey} of tenant ${tenant} already exists with other content ` +
        `(${fields.join(', ')}): an idempotency key names one act`,
    );
    this.name = 'AuditIdempotencyConflictError';
  }
}

/**
 * What makes two appends under one key the same act. Not the rationale's wording (a retried step may describe the
 * same refusal in other words), and an outcome `recovered` (the step found its earlier effect) is the `succeeded` it
 * recovered: a workflow reset that redoes a step writes no conflict for it.
 */
const ACT_FIELDS = ['actor', 'action', 'target', 'workflowId', 'outcome', 'dataHash', 'refs'] as const;

const asAct = (field: (typeof ACT_FIELDS)[number], value: unknown) =>
  canonicalJson((field === 'outcome' && value === 'recovered' ? 'succeeded' : value) ?? null);

function sameAct(existing: AuditRecord, fields: ReturnType<typeof appendInputSchema.parse>): AuditRecord {
  const differ = ACT_FIELDS.filter((f) => asAct(f, existing[f]) !== asAct(f, fields[f]));
  if (differ.length > 0)
    throw new AuditIdempotencyConflictError(fields.tenant, fields.idempotencyKey, differ);
  return existing;
}

/**
 * Text as the database will store it: a lone UTF-16 surrogate (half an emoji, cut by a `slice`) is stored as
 * U+FFFD, so it is replaced before hashing. Otherwise the hash covers a character the row does not hold, and an
 * untouched record fails verification.
 */
function wellFormed<T>(value: T): T {
  if (typeof value === 'string')
    return value
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
      .replaceAll('\0', '\uFFFD') as T; // PostgreSQL text cannot hold NUL; SQLite can: one record, both stores
  if (Array.isArray(value)) return value.map(wellFormed) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wellFormed(v)])) as T;
  return value;
}
