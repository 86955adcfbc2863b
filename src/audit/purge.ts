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
      // Inside the window by the service's clock or, on PostgreSQL, by the database's (audit:verify checks both; a
      // database clock running ahead must not make an honest purge look like a removal inside the window).
      const firstKept = (await trx(RECORDS)
        .where({ tenant })
        .andWhere((q) => void q.where('time', '>=', cutoff).orWhere('recorded_at', '>=', cutoff))
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
          // Copied in the database: the database clock's microseconds would not survive a round trip through a Date.
          anchor_recorded_at: trx.raw('(SELECT recorded_at FROM ?? WHERE tenant = ? AND seq = ?)', [
            RECORDS,
            tenant,
            Number(lastPurged.seq),
          ]),
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

interface MatterLifecycles {
  /** Matters (by key) whose last lifecycle record closed them before the cutoff. */
  ended: Set<string>;
  /** Per matter key, the seq of its last lifecycle record: the one that says whether the matter has ended. */
  lastLifecycleSeq: Map<string, number>;
}

async function matterLifecycles(
  trx: Knex.Transaction,
  tenant: string,
  cutoff: string,
): Promise<MatterLifecycles> {
  const rows: Pick<AuditRow, 'seq' | 'action' | 'target_json' | 'time'>[] = await trx<AuditRow>(RECORDS)
    .where({ tenant })
    .whereIn('action', [MATTER_CLOSED, MATTER_REOPENED])
    .orderBy('seq')
    .select('seq', 'action', 'target_json', 'time');
  // A matter is named by its number, its Clio id or both; a lifecycle record naming two keys says they are one
  // matter. Its state is its last lifecycle record under any of its keys: a matter closed under both and reopened
  // under its id alone is open, for records naming it by number too.
  const parent = new Map<string, string>();
  const root = (key: string): string => {
    let k = key;
    while (parent.has(k) && parent.get(k) !== k) k = parent.get(k)!;
    parent.set(key, k);
    return k;
  };
  for (const row of rows) {
    const [first, ...others] = matterKeys(row.target_json);
    if (first === undefined) continue;
    if (!parent.has(first)) parent.set(first, first);
    for (const other of others) {
      if (!parent.has(other)) parent.set(other, other);
      parent.set(root(other), root(first));
    }
  }
  const lastOfMatter = new Map<string, { seq: number; closedAt?: string }>();
  for (const row of rows) {
    const keys = matterKeys(row.target_json);
    if (keys.length === 0) continue;
    lastOfMatter.set(root(keys[0]!), {
      seq: Number(row.seq),
      closedAt: row.action === MATTER_CLOSED ? row.time : undefined,
    });
  }
  const ended = new Set<string>();
  const lastLifecycleSeq = new Map<string, number>();
  for (const key of parent.keys()) {
    const last = lastOfMatter.get(root(key))!;
    lastLifecycleSeq.set(key, last.seq);
    if (last.closedAt !== undefined && last.closedAt < cutoff) ended.add(key);
  }
  return { ended, lastLifecycleSeq };
}

/** Rows of the chain in seq order, after `afterSeq` and before `beforeSeq` (or to its end), a batch at a time. */
async function* rowsBetween(
  trx: Knex.Transaction,
  tenant: string,
  afterSeq: number,
  beforeSeq?: number,
): AsyncGenerator<Pick<AuditRow, 'seq' | 'target_json'>> {
  const BATCH = 1000;
  for (let from = afterSeq; ;) {
    const rows: Pick<AuditRow, 'seq' | 'target_json'>[] = await trx<AuditRow>(RECORDS)
      .where({ tenant })
      .andWhere('seq', '>', from)
      .modify((q) => (beforeSeq === undefined ? q : q.andWhere('seq', '<', beforeSeq)))
      .orderBy('seq')
      .limit(BATCH)
      .select('seq', 'target_json');
    if (rows.length === 0) return;
    yield* rows;
    from = Number(rows[rows.length - 1]!.seq);
  }
}

/**
 * The seq from which records must be kept: `limit` (the first record inside the window), or earlier,
 * - the first record about a matter still open, closed too recently, or whose closing is not on record; or
 * - a matter's last lifecycle record while a record about that matter stays: without it, the records left would
 *   read as "closing not on record" and be kept for good.
 */
async function firstHeldByOpenMatter(
  trx: Knex.Transaction,
  tenant: string,
  cutoff: string,
  afterSeq: number,
  limit: number,
): Promise<number> {
  const { ended, lastLifecycleSeq } = await matterLifecycles(trx, tenant, cutoff);
  let keepFrom = limit;
  for await (const row of rowsBetween(trx, tenant, afterSeq, limit))
    if (matterKeys(row.target_json).some((key) => !ended.has(key))) {
      keepFrom = Number(row.seq);
      break;
    }
  // The last mention of each matter whose closing record would otherwise go: in the kept part of the chain?
  for (;;) {
    const closingsToGo = [...lastLifecycleSeq].filter(([, seq]) => seq < keepFrom);
    if (closingsToGo.length === 0) return keepFrom;
    const watched = new Set(closingsToGo.map(([key]) => key));
    const mentionedLater = new Set<string>();
    for await (const row of rowsBetween(trx, tenant, keepFrom - 1))
      for (const key of matterKeys(row.target_json)) if (watched.has(key)) mentionedLater.add(key);
    const held = closingsToGo.filter(([key]) => mentionedLater.has(key)).map(([, seq]) => seq);
    if (held.length === 0) return keepFrom;
    // Keeping from an earlier record keeps more records, which may mention other matters: look again.
    keepFrom = Math.min(...held);
  }
}
