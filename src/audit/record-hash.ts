import { createHash } from 'node:crypto';
import { type AuditRecord } from './audit-record';

/**
 * Canonical JSON: object keys sorted at every depth, no insignificant whitespace, undefined members dropped.
 * The same logical record always yields the same bytes, whichever dialect stored it and in which key order.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode ${typeof value}`);
  }
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The hash to put in `dataHash`: lets an auditor check data they hold without the log storing it. */
export function hashData(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/**
 * The record's own hash: sha256 over the canonical JSON of every field plus prevHash. `v` versions the
 * format, so a future change can still verify old records. Absent optional fields hash as null.
 */
export function computeRecordHash(record: Omit<AuditRecord, 'hash'>): string {
  return sha256Hex(
    canonicalJson({
      v: 1,
      id: record.id,
      tenant: record.tenant,
      seq: record.seq,
      time: record.time,
      actor: record.actor,
      action: record.action,
      target: record.target,
      workflowId: record.workflowId,
      runId: record.runId,
      idempotencyKey: record.idempotencyKey,
      outcome: record.outcome,
      rationale: record.rationale ?? null,
      dataHash: record.dataHash ?? null,
      refs: record.refs ?? null,
      prevHash: record.prevHash,
    }),
  );
}
