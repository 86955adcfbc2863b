import { ApplicationFailure, proxyActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { createClioTimeEntryActivities } from '../activities/clio-time-entries';
import {
  duplicateRanks,
  naturalKey,
  type CreatedTimeEntry,
  type TimeCaptureInput,
  type TimeCaptureResult,
} from '../src/domain/time-entries';
import { mapBounded } from './shared/bounded';
import { clioWriteOptions } from './shared/activity-options';
import { BusinessStatus, ClioMatterId } from './shared/search-attributes';

const { createClioTimeEntry } = proxyActivities<ReturnType<typeof createClioTimeEntryActivities>>(clioWriteOptions);

/** Entries written at once; Clio's rate budget, not this number, sets the real pace. */
const PARALLEL_WRITES = 4;

/**
 * Time capture: record a batch of time entries in Clio, each exactly once. Identical entries (same matter, user,
 * date, duration and note) are written one after another, so a retry can tell them apart by rank.
 */
export async function timeCapture(input: TimeCaptureInput): Promise<TimeCaptureResult> {
  const { workflowId, startTime } = workflowInfo();
  const matters = new Set(input.entries.map((e) => e.matterId));
  upsertSearchAttributes([
    { key: BusinessStatus, value: 'capturing' },
    ...(matters.size === 1 ? [{ key: ClioMatterId, value: Number([...matters][0]) }] : []),
  ]);

  const ranks = duplicateRanks(input.entries);
  const groups = new Map<string, number[]>();
  input.entries.forEach((e, i) => groups.set(naturalKey(e), [...(groups.get(naturalKey(e)) ?? []), i]));

  const created: CreatedTimeEntry[] = [];
  const failed: { index: number; message: string }[] = [];
  await mapBounded([...groups.values()], PARALLEL_WRITES, async (indexes) => {
    for (const index of indexes) {
      try {
        const result = await createClioTimeEntry({
          tenant: input.tenant,
          operationKey: `${workflowId}/create-time-entry/${index}`,
          entry: input.entries[index]!,
          notBefore: startTime.toISOString(),
          duplicateRank: ranks[index]!,
        });
        created.push({ index, ...result });
      } catch (err) {
        failed.push({ index, message: rootMessage(err) });
      }
    }
  });
  created.sort((a, b) => a.index - b.index);

  if (failed.length > 0) {
    upsertSearchAttributes([{ key: BusinessStatus, value: 'failed' }]);
    failed.sort((a, b) => a.index - b.index);
    throw ApplicationFailure.nonRetryable(
      `${failed.length} of ${input.entries.length} time entries were not recorded in Clio`,
      'TimeEntriesRejected',
      { created, failed },
    );
  }
  upsertSearchAttributes([{ key: BusinessStatus, value: 'completed' }]);
  return { created };
}

function rootMessage(err: unknown): string {
  let e = err as { message?: string; cause?: unknown } | undefined;
  while (e?.cause) e = e.cause;
  return e?.message ?? String(err);
}
