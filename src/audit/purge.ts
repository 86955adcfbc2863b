import { type Knex } from 'knex';
import { type Dialect } from '../store';
import { HEADS, lockHead, RECORDS, type AuditRow } from './audit-rows';
import { retentionCutoff } from './retention';

export interface PurgeResult {
  cutoff: string;
  deleted: number;
}

/**
 * Removes, per tenant, the oldest records whose time is before the retention cutoff, and only as a prefix of
 * the chain: deletion stops at the first record inside the window, so nothing inside it is ever removed even
 * if clocks made times non-monotonic. The last removed record becomes the chain's anchor, so the remaining
 * chain still verifies from there.
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
      const keepFrom = firstKept?.seq == null ? head.last_seq + 1 : Number(firstKept.seq);
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
