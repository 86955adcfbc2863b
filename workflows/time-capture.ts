import {
  ApplicationFailure,
  patched,
  proxyActivities,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createAuditActivities } from '../activities/audit';
import type { createClioTimeEntryActivities } from '../activities/clio-time-entries';
import {
  duplicateRanks,
  lookalikeKey,
  naturalKey,
  type CreatedTimeEntry,
  type TimeCaptureInput,
  type TimeCaptureResult,
} from '../src/domain/time-entries';
import { mapBounded } from './shared/bounded';
import { clioWriteOptions, localActivityOptions } from './shared/activity-options';
import { emitEvent } from './shared/events';
import { BusinessStatus, ClioMatterId } from './shared/search-attributes';

const { createClioTimeEntry } =
  proxyActivities<ReturnType<typeof createClioTimeEntryActivities>>(clioWriteOptions);
const { recordAudit } = proxyActivities<ReturnType<typeof createAuditActivities>>(localActivityOptions);

/** Entries written at once; Clio's rate budget, not this number, sets the real pace. */
const PARALLEL_WRITES = 4;
/** Runs started before audit records and webhook events existed replay without them. */
const AUDIT_AND_EVENTS = 'time-capture-audit-and-events';
/** Runs from before operation and audit keys named their run chain replay with the older keys. */
const KEYS_PER_RUN_CHAIN = 'time-capture-keys-per-run-chain';
/** Runs from before look-alike entries (not only identical ones) were written one after another keep the old groups. */
const SERIAL_LOOKALIKES = 'time-capture-serial-lookalikes';

/**
 * Time capture: record a batch of time entries in Clio, each exactly once, and leave an audit record for each.
 * Entries a retry's search of Clio cannot tell apart (same matter, date, duration and note) are written one after
 * another, so a retry finds the earlier ones held in the ledger and does not take theirs for its own.
 */
export async function timeCapture(input: TimeCaptureInput): Promise<TimeCaptureResult> {
  const { workflowId, startTime, firstExecutionRunId } = workflowInfo();
  const withAudit = patched(AUDIT_AND_EVENTS);
  // The workflow id comes back once Temporal has forgotten an earlier run (its Idempotency-Key reused after both
  // the stored answer and the run expired): that run's writes and records must not be taken for this one's. A
  // retry, a reset or a continue-as-new keeps the chain's first run id, so they still find their own.
  const chain = patched(KEYS_PER_RUN_CHAIN) ? `${firstExecutionRunId}/` : '';
  const actor = {
    type: 'api_key' as const,
    id: input.requestedBy.apiKeyId,
    role: input.requestedBy.role,
    apiKeyId: input.requestedBy.apiKeyId,
  };
  const matters = new Set(input.entries.map((e) => e.matterId));
  upsertSearchAttributes([
    { key: BusinessStatus, value: 'capturing' },
    ...(matters.size === 1 ? [{ key: ClioMatterId, value: Number([...matters][0]) }] : []),
  ]);

  // Entries a retry could mistake for one another go one after another: each retry then finds the earlier ones
  // held in the ledger. Identical entries were always grouped; look-alikes (see lookalikeKey) since this patch.
  const groupKey = patched(SERIAL_LOOKALIKES) ? lookalikeKey : naturalKey;
  const ranks = duplicateRanks(input.entries, groupKey);
  const groups = new Map<string, number[]>();
  input.entries.forEach((e, i) => groups.set(groupKey(e), [...(groups.get(groupKey(e)) ?? []), i]));

  const created: CreatedTimeEntry[] = [];
  const failed: { index: number; message: string }[] = [];
  await mapBounded([...groups.values()], PARALLEL_WRITES, async (indexes) => {
    for (const index of indexes) {
      const entry = input.entries[index]!;
      try {
        const result = await createClioTimeEntry({
          tenant: input.tenant,
          operationKey: `${workflowId}/${chain}create-time-entry/${index}`,
          entry,
          notBefore: startTime.toISOString(),
          duplicateRank: ranks[index]!,
        });
        created.push({ index, ...result });
        if (withAudit) {
          await recordAudit({
            tenant: input.tenant,
            actor,
            action: 'time_entry.created',
            target: {
              kind: 'clio_time_entry',
              ids: { clioActivityId: result.clioActivityId, clioMatterId: entry.matterId },
            },
            step: `${chain}entry-${index}.created`,
            outcome: result.recovered ? 'recovered' : 'succeeded',
            data: entry,
          });
        }
      } catch (err) {
        const message = rootMessage(err);
        failed.push({ index, message });
        if (withAudit) {
          await recordAudit({
            tenant: input.tenant,
            actor,
            action: 'time_entry.rejected',
            target: { kind: 'clio_time_entry', ids: { clioMatterId: entry.matterId } },
            step: `${chain}entry-${index}.rejected`,
            outcome: 'failed',
            rationale: message.slice(0, 2000),
            data: entry,
          });
        }
      }
    }
  });
  created.sort((a, b) => a.index - b.index);

  if (failed.length > 0) {
    upsertSearchAttributes([{ key: BusinessStatus, value: 'failed' }]);
    failed.sort((a, b) => a.index - b.index);
    const message = `${failed.length} of ${input.entries.length} time entries were not recorded in Clio`;
    if (withAudit)
      await emitEvent(input.tenant, 'workflow.failed', {
        workflowId,
        type: 'timeCapture',
        message,
        created,
        failed,
      });
    throw ApplicationFailure.nonRetryable(message, 'TimeEntriesRejected', { created, failed });
  }
  upsertSearchAttributes([{ key: BusinessStatus, value: 'completed' }]);
  if (withAudit)
    await emitEvent(input.tenant, 'workflow.completed', {
      workflowId,
      type: 'timeCapture',
      result: { created },
    });
  return { created };
}

function rootMessage(err: unknown): string {
  let e = err as { message?: string; cause?: unknown } | undefined;
  while (e?.cause) e = e.cause;
  return e?.message ?? String(err);
}
