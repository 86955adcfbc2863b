import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { z } from 'zod';
import { type AuditRecord } from './audit-record';

export const exportFormatSchema = z.enum(['jsonl', 'csv']);
export type ExportFormat = z.output<typeof exportFormatSchema>;

/** CSV columns, flat; nested values (target ids, refs) are JSON in their cell. */
export const CSV_COLUMNS = [
  'id',
  'tenant',
  'seq',
  'time',
  'actor_type',
  'actor_id',
  'actor_role',
  'actor_api_key_id',
  'action',
  'target_kind',
  'target_ids',
  'matter_number',
  'workflow_id',
  'run_id',
  'idempotency_key',
  'outcome',
  'rationale',
  'data_hash',
  'refs',
  'prev_hash',
  'hash',
] as const;

/**
 * A cell a spreadsheet would read as a formula (starting with = + - @, or a tab or carriage return before one) is
 * written with a leading apostrophe, which Excel and LibreOffice show as text (OWASP's CSV injection advice).
 * Rationales, actor ids, matter numbers and refs are client and user text: opening an export must not run them.
 * The JSON Lines export keeps every value exactly, for verification.
 */
export function csvCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function toCsvRow(r: AuditRecord): Record<(typeof CSV_COLUMNS)[number], string | number> {
  const row = csvRow(r);
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, typeof v === 'string' ? csvCell(v) : v]),
  ) as typeof row;
}

function csvRow(r: AuditRecord): Record<(typeof CSV_COLUMNS)[number], string | number> {
  return {
    id: r.id,
    tenant: r.tenant,
    seq: r.seq,
    time: r.time,
    actor_type: r.actor.type,
    actor_id: r.actor.id,
    actor_role: r.actor.role ?? '',
    actor_api_key_id: r.actor.apiKeyId ?? '',
    action: r.action,
    target_kind: r.target.kind,
    target_ids: JSON.stringify(r.target.ids),
    matter_number: r.target.matterNumber ?? '',
    workflow_id: r.workflowId,
    run_id: r.runId,
    idempotency_key: r.idempotencyKey,
    outcome: r.outcome,
    rationale: r.rationale ?? '',
    data_hash: r.dataHash ?? '',
    refs: r.refs ? JSON.stringify(r.refs) : '',
    prev_hash: r.prevHash,
    hash: r.hash,
  };
}

/** Streams records to `out` as JSON Lines (each record whole, verifiable) or CSV; returns how many. */
export async function writeExport(
  records: AsyncIterable<AuditRecord>,
  format: ExportFormat,
  out: Writable,
): Promise<number> {
  let count = 0;
  async function* counted(): AsyncGenerator<AuditRecord> {
    for await (const r of records) {
      count++;
      yield r;
    }
  }
  if (format === 'jsonl') {
    await pipeline(
      Readable.from(counted()),
      async function* (source: AsyncIterable<AuditRecord>) {
        for await (const r of source) yield `${JSON.stringify(r)}\n`;
      },
      out,
      { end: false },
    );
  } else {
    await pipeline(
      Readable.from(counted()),
      async function* (source: AsyncIterable<AuditRecord>) {
        for await (const r of source) yield toCsvRow(r);
      },
      // csv-stringify does the quoting and escaping (commas, quotes, newlines in rationale). UTF-8 with a byte order
      // mark: without one Excel reads the file in the machine's ANSI code page and garbles accented names.
      stringify({ header: true, columns: [...CSV_COLUMNS], bom: true }),
      out,
      { end: false },
    );
  }
  return count;
}
