import { type Knex } from 'knex';
import { z } from 'zod';
import { type AuditRecord } from './audit-record';
import { fromRow, RECORDS, type AuditRow } from './audit-rows';
import { decodeCursor, encodeCursor } from './cursor';

const isoTime = z
  .union([z.date(), z.iso.datetime({ offset: true })])
  .transform((v) => new Date(v).toISOString());

export const auditQuerySchema = z.object({
  tenant: z.string().min(1).max(64),
  matterNumber: z.string().min(1).max(100).optional(),
  actorId: z.string().min(1).max(200).optional(),
  action: z.string().min(1).max(100).optional(),
  workflowId: z.string().min(1).max(300).optional(),
  /** Inclusive. */
  from: isoTime.optional(),
  /** Exclusive. */
  to: isoTime.optional(),
  limit: z.number().int().min(1).max(500).default(50),
  cursor: z.string().min(1).max(500).optional(),
});

export type AuditQuery = z.input<typeof auditQuerySchema>;

/**
 * The same filters as URL query parameters (`GET /v1/audit?matterNumber=&actorId=&action=&from=&to=&limit=&cursor=`);
 * the tenant comes from the caller's credentials, never from the query string.
 */
export const auditQueryParamsSchema = auditQuerySchema
  .omit({ tenant: true, limit: true, from: true, to: true })
  .extend({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  });
export interface AuditPage {
  /** Newest first. */
  records: AuditRecord[];
  /** Pass back as `cursor` for the next (older) page; absent on the last page. */
  nextCursor?: string;
}

export async function queryRecords(knex: Knex, input: AuditQuery): Promise<AuditPage> {
  const q = auditQuerySchema.parse(input);
  const query = knex<AuditRow>(RECORDS).where('tenant', q.tenant);
  if (q.matterNumber) query.andWhere('matter_number', q.matterNumber);
  // People's ids are kept lower-cased (API keys' users), so `Jo@Firm.law` finds theirs; other ids (an operator's
  // `account@host`) are matched as written too.
  if (q.actorId)
    query.whereIn('actor_id', [...new Set([q.actorId, q.actorId.normalize('NFC').toLowerCase()])]);
  if (q.action) query.andWhere('action', q.action);
  if (q.workflowId) query.andWhere('workflow_id', q.workflowId);
  // ISO-8601 UTC strings with fixed precision compare correctly as text in both dialects.
  if (q.from) query.andWhere('time', '>=', q.from);
  if (q.to) query.andWhere('time', '<', q.to);
  if (q.cursor) query.andWhere('seq', '<', decodeCursor(q.cursor, q.tenant));
  // Keyset paging on seq (the chain order): stable under concurrent appends, unlike offsets.
  const rows = await query.orderBy('seq', 'desc').limit(q.limit + 1);
  const records = rows.slice(0, q.limit).map(fromRow);
  const last = records[records.length - 1];
  return rows.length > q.limit && last
    ? { records, nextCursor: encodeCursor(q.tenant, last.seq) }
    : { records };
}

export interface AuditExportFilter {
  tenant?: string;
  from?: Date | string;
  to?: Date | string;
}

/** Every matching record in chain order (tenant, then seq), read in batches so memory stays flat. */
export async function* iterateRecords(
  knex: Knex,
  filter: AuditExportFilter,
  batchSize = 500,
): AsyncGenerator<AuditRecord> {
  const from = filter.from === undefined ? undefined : isoTime.parse(filter.from);
  const to = filter.to === undefined ? undefined : isoTime.parse(filter.to);
  let after: { tenant: string; seq: number } | undefined;
  for (;;) {
    const query = knex<AuditRow>(RECORDS);
    if (filter.tenant) query.where('tenant', filter.tenant);
    if (from) query.andWhere('time', '>=', from);
    if (to) query.andWhere('time', '<', to);
    if (after) {
      const { tenant, seq } = after;
      query.andWhere(
        (w) =>
          void w
            .where('tenant', '>', tenant)
            .orWhere((x) => void x.where('tenant', tenant).andWhere('seq', '>', seq)),
      );
    }
    const rows = await query.orderBy([{ column: 'tenant' }, { column: 'seq' }]).limit(batchSize);
    for (const row of rows) yield fromRow(row);
    const last = rows[rows.length - 1];
    if (!last || rows.length < batchSize) return;
    after = { tenant: last.tenant, seq: Number(last.seq) };
  }
}
