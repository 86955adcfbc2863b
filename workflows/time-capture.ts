import {
  ApplicationFailure,
  isCancellation,
  patched,
  proxyActivities,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createAuditActivities, RecordAuditInput } from '../activities/audit';
import type { createClioTimeEntryActivities } from '../activities/clio-time-entries';
import {
  duplicateRanks,
  lookalikeKey,
  naturalKey,
  TIME_CAPTURE_FAILURES,
  type CreatedTimeEntry,
  type CreateTimeEntryResult,
  type MissingAuditRecord,
  type RejectedTimeEntry,
  type TimeCaptureFailureDetails,
  type TimeCaptureInput,
  type TimeCaptureResult,
  type TimeEntryInput,
} from '../src/domain/time-entries';
import { requesterActor } from '../src/domain/requester';
import { mapBounded } from './shared/bounded';
import { clioWriteOptions, localActivityOptions } from './shared/activity-options';
import { emitEvent } from './shared/events';
import { BusinessStatus, ClioMatterId, MatterNumber } from './shared/search-attributes';

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
 * Runs from before an audit record's failure was kept apart from its entry's outcome replay the old loop, where an
 * entry whose `created` record failed for good was also reported failed (and recorded as rejected), and a
 * `rejected` record failing for good ended its group, leaving the entries after it unwritten and unreported.
 */
const AUDIT_APART = 'time-capture-audit-apart';
/** Runs from before a single-matter run carried its matter's display number (MatterNumber) replay without it. */
const MATTER_NUMBER = 'time-capture-matter-number';
/** Longer display numbers are not indexed: Temporal refuses a value over its size limit, and with it the task. */
const MAX_MATTER_NUMBER_LENGTH = 255;

/**
 * Time capture: record a batch of time entries in Clio, each exactly once, and leave an audit record for each.
 * Entries a retry's search of Clio cannot tell apart (same matter, date, duration and note) are written one after
 * another, so a retry finds the earlier ones held in the ledger and does not take theirs for its own.
 * An entry's outcome is Clio's answer alone: an audit record that cannot be written is reported on its own
 * (`auditMissing`, and the run fails with `AuditRecordsMissing` when nothing else did), never as a failed entry.
 */
export async function timeCapture(input: TimeCaptureInput): Promise<TimeCaptureResult> {
  const { workflowId, startTime, firstExecutionRunId } = workflowInfo();
  const withAudit = patched(AUDIT_AND_EVENTS);
  const auditApart = patched(AUDIT_APART);
  const withMatterNumber = patched(MATTER_NUMBER);
  // The workflow id comes back once Temporal has forgotten an earlier run (its Idempotency-Key reused after both
  // the stored answer and the run expired): that run's writes and records must not be taken for this one's. A
  // retry, a reset or a continue-as-new keeps the chain's first run id, so they still find their own.
  const chain = patched(KEYS_PER_RUN_CHAIN) ? `${firstExecutionRunId}/` : '';
  // The person when the key names one (inputs from before keys named people carry none: the key, as then).
  const actor = requesterActor(input.requestedBy);
  const matters = new Set(input.entries.map((e) => e.matterId));
  upsertSearchAttributes([
    { key: BusinessStatus, value: 'capturing' },
    ...(matters.size === 1 ? [{ key: ClioMatterId, value: Number([...matters][0]) }] : []),
  ]);
  // The number a firm knows its matter by (`00001-Martin`) is not in the request: Clio answers it with each
  // write, and the first write that brings it sets MatterNumber. A run whose every write fails leaves it unset.
  let matterNumber: string | undefined;
  const wantsMatterNumber = () => withMatterNumber && matters.size === 1 && matterNumber === undefined;
  const noteMatterNumber = (result: CreateTimeEntryResult) => {
    const found = result.matterNumber;
    if (!found || found.length > MAX_MATTER_NUMBER_LENGTH || !wantsMatterNumber()) return;
    matterNumber = found;
    upsertSearchAttributes([{ key: MatterNumber, value: found }]);
  };

  // Entries a retry could mistake for one another go one after another: each retry then finds the earlier ones
  // held in the ledger. Identical entries were always grouped; look-alikes (see lookalikeKey) since this patch.
  const groupKey = patched(SERIAL_LOOKALIKES) ? lookalikeKey : naturalKey;
  const ranks = duplicateRanks(input.entries, groupKey);
  const groups = new Map<string, number[]>();
  input.entries.forEach((e, i) => groups.set(groupKey(e), [...(groups.get(groupKey(e)) ?? []), i]));

  const createdRecord = (
    index: number,
    entry: TimeEntryInput,
    result: CreateTimeEntryResult,
  ): EntryRecord => ({
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
  const rejectedRecord = (index: number, entry: TimeEntryInput, message: string): EntryRecord => ({
    tenant: input.tenant,
    actor,
    action: 'time_entry.rejected',
    target: { kind: 'clio_time_entry', ids: { clioMatterId: entry.matterId } },
    step: `${chain}entry-${index}.rejected`,
    outcome: 'failed',
    rationale: message.slice(0, 2000),
    data: entry,
  });

  const created: CreatedTimeEntry[] = [];
  const failed: RejectedTimeEntry[] = [];
  const auditMissing: MissingAuditRecord[] = [];
  /**
   * Writes an entry's audit record. One the audit activity fails for good (a non-retryable failure: any other
   * is retried until the store answers) is collected for the run's answer: the entry's outcome stands.
   */
  async function audit(index: number, record: EntryRecord) {
    try {
      await recordAudit(record);
    } catch (err) {
      if (isCancellation(err)) throw err;
      auditMissing.push({ index, action: record.action, message: rootMessage(err) });
    }
  }

  await mapBounded([...groups.values()], PARALLEL_WRITES, async (indexes) => {
    for (const index of indexes) {
      const entry = input.entries[index]!;
      const write = () =>
        createClioTimeEntry({
          tenant: input.tenant,
          operationKey: `${workflowId}/${chain}create-time-entry/${index}`,
          entry,
          notBefore: startTime.toISOString(),
          duplicateRank: ranks[index]!,
          // Asked while the run has no number: a write found in the ledger then reads it from Clio.
          ...(wantsMatterNumber() ? { matterNumberWanted: true } : {}),
        });
      // The entry as the run reports it: the number is the run's (MatterNumber), not each entry's.
      const createdEntry = (result: CreateTimeEntryResult): CreatedTimeEntry => ({
        index,
        clioActivityId: result.clioActivityId,
        recovered: result.recovered,
      });
      if (!auditApart) {
        // Before AUDIT_APART, kept as it ran for replay: one catch for the write and its record.
        try {
          const result = await write();
          created.push(createdEntry(result));
          if (withAudit) await recordAudit(createdRecord(index, entry, result));
        } catch (err) {
          const message = rootMessage(err);
          failed.push({ index, message });
          if (withAudit) await recordAudit(rejectedRecord(index, entry, message));
        }
        continue;
      }
      let result: CreateTimeEntryResult;
      try {
        result = await write();
      } catch (err) {
        const message = rootMessage(err);
        failed.push({ index, message });
        if (withAudit) await audit(index, rejectedRecord(index, entry, message));
        continue;
      }
      // In Clio from here on, whatever becomes of its audit record. (MATTER_NUMBER came after AUDIT_APART: a run
      // that takes the branch above never sets the number.)
      created.push(createdEntry(result));
      noteMatterNumber(result);
      if (withAudit) await audit(index, createdRecord(index, entry, result));
    }
  });
  created.sort((a, b) => a.index - b.index);
  auditMissing.sort((a, b) => a.index - b.index);
  const total = input.entries.length;

  if (failed.length > 0) {
    upsertSearchAttributes([{ key: BusinessStatus, value: 'failed' }]);
    failed.sort((a, b) => a.index - b.index);
    let message = `${failed.length} of ${total} time entries were not recorded in Clio`;
    if (auditMissing.length > 0) message += `; ${auditGap(auditMissing)}`;
    const details: TimeCaptureFailureDetails = auditApart
      ? { created, failed, auditMissing }
      : { created, failed };
    if (withAudit)
      await emitEvent(input.tenant, 'workflow.failed', {
        workflowId,
        type: 'timeCapture',
        ...(auditApart ? { failureType: TIME_CAPTURE_FAILURES.rejected } : {}),
        message,
        ...details,
      });
    throw ApplicationFailure.nonRetryable(message, TIME_CAPTURE_FAILURES.rejected, details);
  }
  if (auditMissing.length > 0) {
    // Every entry is in Clio: the run fails only so that the gap in the audit trail is seen, and says so.
    upsertSearchAttributes([{ key: BusinessStatus, value: 'audit_incomplete' }]);
    const message =
      `${recordedInClio(created.length, total)} recorded in Clio (see created), ` +
      `but ${auditGap(auditMissing)}: the audit trail is incomplete. Do not send these entries again.`;
    const details: TimeCaptureFailureDetails = { created, failed: [], auditMissing };
    await emitEvent(input.tenant, 'workflow.failed', {
      workflowId,
      type: 'timeCapture',
      failureType: TIME_CAPTURE_FAILURES.auditMissing,
      message,
      ...details,
    });
    throw ApplicationFailure.nonRetryable(message, TIME_CAPTURE_FAILURES.auditMissing, details);
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

/** "All 3 time entries are", "The time entry is", or (a run cut short) "2 of 3 time entries are". */
function recordedInClio(count: number, total: number): string {
  if (count < total) return `${count} of ${total} time entries ${count === 1 ? 'is' : 'are'}`;
  return total === 1 ? 'The time entry is' : `All ${total} time entries are`;
}

/** The audit record of one entry's outcome. */
type EntryRecord = RecordAuditInput & { action: MissingAuditRecord['action'] };

/** "2 audit records could not be written (entries 1, 4)", the first few entries named. */
function auditGap(missing: readonly MissingAuditRecord[]): string {
  const indexes = [...new Set(missing.map((m) => m.index))];
  const named =
    indexes.slice(0, 10).join(', ') + (indexes.length > 10 ? `, and ${indexes.length - 10} more` : '');
  return `${missing.length} audit record${missing.length === 1 ? '' : 's'} could not be written (entr${
    indexes.length === 1 ? 'y' : 'ies'
  } ${named}; see auditMissing)`;
}

function rootMessage(err: unknown): string {
  let e = err as { message?: string; cause?: unknown } | undefined;
  while (e?.cause) e = e.cause;
  return e?.message ?? String(err);
}
