import { type Knex } from 'knex';
import { GENESIS_HASH } from './audit-record';
import { fromRow, HEADS, RECORDS, type AuditRow, type HeadRow } from './audit-rows';
import { computeRecordHash } from './record-hash';

export interface BrokenLink {
  tenant: string;
  /** The first record that does not verify; null when the break is after the last record (tail removed). */
  recordId: string | null;
  seq: number | null;
  reason: string;
}

export interface VerifyResult {
  ok: boolean;
  tenants: number;
  records: number;
  /** The first break of each broken chain, in tenant order. */
  broken: BrokenLink[];
}

const BATCH = 1000;

/** Walks each tenant's chain (or one tenant's) from its anchor and reports where it first breaks. */
export async function verifyChains(
  knex: Knex,
  tenant: string | undefined,
  /** Records before this instant may have been purged; an anchor at a later record means some were cut early. */
  retentionCutoff: Date,
): Promise<VerifyResult> {
  const tenants = await listTenants(knex, tenant);
  const result: VerifyResult = { ok: true, tenants: tenants.length, records: 0, broken: [] };
  for (const t of tenants) {
    const { checked, broken } = await verifyTenant(knex, t, retentionCutoff.toISOString());
    result.records += checked;
    if (broken) result.broken.push(broken);
  }
  result.ok = result.broken.length === 0;
  return result;
}

async function listTenants(knex: Knex, tenant?: string): Promise<string[]> {
  if (tenant) return [tenant];
  // Records without a head row must be checked too: a deleted head is itself tampering.
  const rows = (await knex
    .select('tenant')
    .from(HEADS)
    .union((u) => void u.distinct('tenant').from(RECORDS))) as { tenant: string }[];
  return [...new Set(rows.map((r) => r.tenant))].sort();
}

async function verifyTenant(
  knex: Knex,
  tenant: string,
  cutoff: string,
): Promise<{ checked: number; broken?: BrokenLink }> {
  const { head, anchorRecordedAt } = await readHead(knex, tenant, cutoff);
  let expectedSeq = head ? Number(head.anchor_seq) + 1 : 1;
  let expectedPrev = head ? head.anchor_hash : GENESIS_HASH;
  let checked = 0;
  const fail = (row: AuditRow | null, reason: string) => ({
    checked,
    broken: { tenant, recordId: row?.id ?? null, seq: row ? Number(row.seq) : null, reason },
  });
  // Only the retention purge moves the anchor, and only past records older than the window.
  if (head?.anchor_time && head.anchor_time >= cutoff) {
    return fail(
      null,
      `records up to seq ${head.anchor_seq} (${head.anchor_time}) were removed inside the retention window`,
    );
  }
  // The record's time is the service's word; when it was written is the database's. A record written inside the
  // window and purged was back-dated.
  if (anchorRecordedAt?.inside) {
    return fail(
      null,
      `records up to seq ${head!.anchor_seq} were removed, the last of them written at ${anchorRecordedAt.at} ` +
        `(the database's clock) though dated ${head!.anchor_time}: inside the retention window`,
    );
  }

  // The chain as the head saw it: records appended while this walks (workers append all the time) come after
  // the head's last_seq and are the next verification's, not a mismatch with a head read before them.
  const upTo = head ? Number(head.last_seq) : undefined;
  for (;;) {
    const query = knex<AuditRow>(RECORDS).where('tenant', tenant).andWhere('seq', '>=', expectedSeq);
    if (upTo !== undefined) void query.andWhere('seq', '<=', upTo);
    const rows = await query.orderBy('seq').limit(BATCH);
    // The first row of a batch must be the expected seq too: the >= would silently skip a gap otherwise.
    for (const row of rows) {
      const problem = checkRow(row, expectedSeq, expectedPrev);
      if (problem) return fail(row, problem);
      checked++;
      expectedSeq++;
      expectedPrev = row.hash;
    }
    if (rows.length < BATCH) break;
  }
  if (!head) return checked === 0 ? { checked } : fail(null, 'chain head row is missing'); // no chain at all is fine
  // Records past the head are appends made since it was read, and the head has moved on to them by now; a record
  // past the head as it stands now was written beside the chain, not appended to it.
  const beyond = (await knex(RECORDS).where('tenant', tenant).max({ seq: 'seq' }).first()) as
    { seq: number | string | null } | undefined;
  if (upTo !== undefined && beyond?.seq !== null && beyond?.seq !== undefined && Number(beyond.seq) > upTo) {
    const now = (await knex(HEADS).where({ tenant }).first()) as HeadRow | undefined;
    if (!now || Number(now.last_seq) < Number(beyond.seq))
      return fail(
        null,
        `a record at seq ${beyond.seq} lies past the chain head (seq ${now?.last_seq ?? '?'})`,
      );
  }
  if (Number(head.last_seq) !== expectedSeq - 1 || head.last_hash !== expectedPrev) {
    return fail(
      null,
      `chain head says seq ${head.last_seq} but the chain ends at seq ${expectedSeq - 1}: records removed from the end`,
    );
  }
  return { checked };
}

/**
 * The tenant's head and, when its anchor names one, when the anchored record was written and whether that is inside
 * the window. On PostgreSQL the database reads and compares it: a timestamptz sent as text follows the session's
 * DateStyle and TimeZone, which any role may set as its own defaults (ALTER ROLE CURRENT_USER SET ...), and the
 * driver reads a style other than ISO as null, an anchor without a stamp.
 */
async function readHead(
  knex: Knex,
  tenant: string,
  cutoff: string,
): Promise<{ head?: HeadRow; anchorRecordedAt?: { at: string; inside: boolean } }> {
  if ((knex.client as Knex.Client).config.client !== 'pg') {
    const head = (await knex(HEADS).where({ tenant }).first()) as HeadRow | undefined;
    const at = head?.anchor_recorded_at ? new Date(head.anchor_recorded_at).toISOString() : undefined;
    return { head, anchorRecordedAt: at === undefined ? undefined : { at, inside: at >= cutoff } };
  }
  type Row = HeadRow & { anchor_recorded_at_utc: string | null; anchor_recorded_inside: boolean | null };
  // Through to_jsonb, which writes a timestamptz in ISO 8601 whatever the session's DateStyle (and PostgreSQL reads
  // that back as it wrote it), and reads a schema without the column (012 rolled back) as an anchor without a stamp.
  const { rows } = await knex.raw<{ rows: Row[] }>(
    `SELECT h.*, to_char(s.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS anchor_recorded_at_utc,
            s.at >= ?::timestamptz AS anchor_recorded_inside
       FROM ?? h CROSS JOIN LATERAL (SELECT (to_jsonb(h) ->> 'anchor_recorded_at')::timestamptz AS at) s
      WHERE h.tenant = ?`,
    [cutoff, HEADS, tenant],
  );
  const row = rows[0];
  if (!row) return {};
  const { anchor_recorded_at_utc: at, anchor_recorded_inside: inside, ...head } = row;
  return { head, anchorRecordedAt: at === null ? undefined : { at, inside: inside === true } };
}

function checkRow(row: AuditRow, expectedSeq: number, expectedPrev: string): string | undefined {
  const seq = Number(row.seq);
  if (seq !== expectedSeq) return `sequence gap: expected seq ${expectedSeq}, found ${seq} (records removed)`;
  if (row.prev_hash !== expectedPrev) return 'prev_hash does not match the hash of the previous record';
  let record;
  try {
    record = fromRow(row);
  } catch {
    return 'stored JSON is unreadable';
  }
  const { hash, ...rest } = record;
  if (computeRecordHash(rest) !== hash) return 'hash mismatch: the record content was changed';
  // The filter columns are copies outside the hash; a change there would mislead queries, so check them too.
  if (
    row.actor_id !== record.actor.id ||
    row.actor_type !== record.actor.type ||
    (row.matter_number ?? undefined) !== record.target.matterNumber
  ) {
    return 'index columns disagree with the hashed record';
  }
  return undefined;
}
