import { type Knex } from 'knex';
import { type Dialect } from '../store';
import { GENESIS_HASH, type AuditActor, type AuditRecord, type AuditTarget } from './audit-record';

export const RECORDS = 'audit_records';
export const HEADS = 'audit_chain_heads';

export interface AuditRow {
  id: string;
  tenant: string;
  seq: number | string;
  time: string;
  actor_type: string;
  actor_id: string;
  actor_json: string;
  action: string;
  target_json: string;
  matter_number: string | null;
  workflow_id: string;
  run_id: string;
  idempotency_key: string;
  outcome: string;
  rationale: string | null;
  data_hash: string | null;
  refs_json: string | null;
  prev_hash: string;
  hash: string;
}

export interface HeadRow {
  tenant: string;
  last_seq: number;
  last_hash: string;
  anchor_seq: number;
  anchor_hash: string;
  /** Time of the last purged record; null for anchors moved before it was kept (or none moved yet). */
  anchor_time?: string | null;
  /**
   * When the database recorded the last purged record (PostgreSQL's clock, not the service's); null on SQLite, for
   * records from before it was kept, and for anchors moved before.
   */
  anchor_recorded_at?: Date | string | null;
}

export function toRow(r: AuditRecord): AuditRow {
  return {
    id: r.id,
    tenant: r.tenant,
    seq: r.seq,
    time: r.time,
    actor_type: r.actor.type,
    actor_id: r.actor.id,
    actor_json: JSON.stringify(r.actor),
    action: r.action,
    target_json: JSON.stringify(r.target),
    matter_number: r.target.matterNumber ?? null,
    workflow_id: r.workflowId,
    run_id: r.runId,
    idempotency_key: r.idempotencyKey,
    outcome: r.outcome,
    rationale: r.rationale ?? null,
    data_hash: r.dataHash ?? null,
    refs_json: r.refs ? JSON.stringify(r.refs) : null,
    prev_hash: r.prevHash,
    hash: r.hash,
  };
}

/** Reads a row back as stored, without validation: verify must see tampered content as it is. */
export function fromRow(row: AuditRow): AuditRecord {
  const record: AuditRecord = {
    id: row.id,
    tenant: row.tenant,
    seq: Number(row.seq),
    time: row.time,
    actor: JSON.parse(row.actor_json) as AuditActor,
    action: row.action,
    target: JSON.parse(row.target_json) as AuditTarget,
    workflowId: row.workflow_id,
    runId: row.run_id,
    idempotencyKey: row.idempotency_key,
    outcome: row.outcome,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
  if (row.rationale !== null) record.rationale = row.rationale;
  if (row.data_hash !== null) record.dataHash = row.data_hash;
  if (row.refs_json !== null) record.refs = JSON.parse(row.refs_json) as Record<string, string>;
  return record;
}

/**
 * Creates the tenant's chain head if needed and locks it for the rest of the transaction. On PostgreSQL the
 * row lock (FOR UPDATE) serializes appends per tenant across every process. On SQLite the leading INSERT
 * takes the database write lock at once (waiting out busy_timeout for other processes), so the read that
 * follows can never be overtaken; within one process the single pooled connection already serializes.
 */
export async function lockHead(trx: Knex.Transaction, dialect: Dialect, tenant: string): Promise<HeadRow> {
  await trx(HEADS)
    .insert({ tenant, last_seq: 0, last_hash: GENESIS_HASH, anchor_seq: 0, anchor_hash: GENESIS_HASH })
    .onConflict('tenant')
    .ignore();
  const query = trx(HEADS).where({ tenant });
  const head = (await (dialect === 'postgres' ? query.forUpdate() : query).first()) as HeadRow | undefined;
  if (!head) throw new Error('audit chain head missing after insert');
  return { ...head, last_seq: Number(head.last_seq), anchor_seq: Number(head.anchor_seq) };
}
