import { type Knex } from 'knex';
import { type Dialect } from '../store';
import { type AuditTarget } from './audit-record';
import { HEADS, lockHead, RECORDS, type AuditRow } from './audit-rows';
import { MATTER_CLOSED, MATTER_REOPENED, retentionCutoff } from './retention';

export interface PurgeResult {
  cutoff: string;
  deleted: number;
}

/**
 * Removes, per tenant, the oldest records whose time is before the retention cutoff, and only as a prefix of
 * the chain: deletion stops at the first record inside the window, so nothing inside it is ever removed even
 * if clocks made times non-monotonic. Records about a matter are kept for the retention period after the matter
 * ended, not after they were written: deletion also stops at the first record about a matter that has not been
 * closed (`matter.closed`, not followed by `matter.reopened`) since before the cutoff. The last removed record
 * becomes the chain's anchor, so the remaining chain still verifies from there.
 */
export async function purgeExpired(
  knex: Knex,
  dialect: Dialect,
  now: Date,
  retentionYears: number,
): Promise<PurgeResult> {
  const cutoff = retentionCutoff(now, retentionYears).toISOString();
  const tenants = (await knex<{ tenant: string }>(HEADS).select('tenant')).map((r) => r.tenant);
  let deleted = 0;
  for (const tenant of tenants) {
    deleted += await knex.transaction(async (trx) => {
      const head = await lockHead(trx, dialect, tenant);
      const firstKept = (await trx(RECORDS)
        .where({ tenant })
        .andWhere('time', '>=', cutoff)
        .min({ seq: 'seq' })
        .first()) as { seq: number | string | null } | undefined;
      const withinWindow = firstKept?.seq == null ? head.last_seq + 1 : Number(firstKept.seq);
      const keepFrom = await firstHeldByOpenMatter(trx, tenant, cutoff, head.anchor_seq, withinWindow);
      const lastPurged = await trx<AuditRow>(RECORDS)
        .where({ tenant })
        .andWhere('seq', '<', keepFrom)
        .orderBy('seq', 'desc')
        .first();
      if (!lastPurged || lastPurged.time >= cutoff) return 0;
      // The anchor moves first: the database lets records go only once they lie below it, and it names the
      // last purged record's hash and time while that record is still there to check them against.
      await trx(HEADS)
        .where({ tenant })
        .update({
          anchor_seq: Number(lastPurged.seq),
          anchor_hash: lastPurged.hash,
          anchor_time: lastPurged.time,
        });
      const removed: number = await trx(RECORDS)
        .where({ tenant })
        .andWhere('seq', '<=', Number(lastPurged.seq))
        .andWhere('time', '<', cutoff)
        .delete();
      return removed;
    });
  }
  return { cutoff, deleted };
}

/** Keys naming the matter a record is about: its matter number and its Clio matter id, either may be absent. */
function matterKeys(targetJson: string): string[] {
  const target = JSON.parse(targetJson) as Partial<AuditTarget>;
  const keys: string[] = [];
  if (target.matterNumber !== undefined) keys.push(`number:${target.matterNumber}`);
  const clioId = target.ids?.clioMatterId;
  if (clioId !== undefined) keys.push(`clio:${String(clioId)}`);
  return keys;
}

/** The matters (by key) whose last lifecycle record closed them before the cutoff. */
async function mattersEndedBefore(
  trx: Knex.Transaction,
  tenant: string,
  cutoff: string,
): Promise<Set<string>> {
  const rows: Pick<AuditRow, 'action' | 'target_json' | 'time'>[] = await trx<AuditRow>(RECORDS)
    .where({ tenant })
    .whereIn('action', [MATTER_CLOSED, MATTER_REOPENED])
    .orderBy('seq')
    .select('action', 'target_json', 'time');
  const lastClosedAt = new Map<string, string | undefined>();
  for (const row of rows)
    for (const key of matterKeys(row.target_json))
      lastClosedAt.set(key, row.action === MATTER_CLOSED ? row.time : undefined);
  return new Set([...lastClosedAt].filter(([, time]) => time !== undefined && time < cutoff).map(([k]) => k));
}

/**
 * The seq from which records must be kept: `limit` (the first record inside the window), or earlier, the first
 * record about a matter still open, or closed too recently, or whose closing is not on record.
 */
async function firstHeldByOpenMatter(
  trx: Knex.Transaction,
  tenant: string,
  cutoff: string,
  afterSeq: number,
  limit: number,
): Promise<number> {
  const ended = await mattersEndedBefore(trx, tenant, cutoff);
  const BATCH = 1000;
  for (let from = afterSeq; from < limit - 1;) {
    const rows: Pick<AuditRow, 'seq' | 'target_json'>[] = await trx<AuditRow>(RECORDS)
      .where({ tenant })
      .andWhere('seq', '>', from)
      .andWhere('seq', '<', limit)
      .orderBy('seq')
      .limit(BATCH)
      .select('seq', 'target_json');
    if (rows.length === 0) break;
    for (const row of rows)
      if (matterKeys(row.target_json).some((key) => !ended.has(key))) return Number(row.seq);
    from = Number(rows[rows.length - 1]!.seq);
  }
  return limit;
}
