import { z } from 'zod';
import { type Requester } from './requester';

/** The most entries one request may carry: a bigger batch is split by the caller, not silently truncated. */
export const MAX_ENTRIES_PER_REQUEST = 500;
/** A day: no single entry is longer (Clio would accept it; a firm never bills it). */
export const MAX_DURATION_SECONDS = 24 * 60 * 60;

const clioId = z.string().regex(/^[1-9]\d{0,17}$/, 'must be a Clio id (digits)');

/** An ISO calendar date that exists (2026-02-30 is refused, not rolled over). */
export const isoDate = z.string().refine((s) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}, 'must be a date YYYY-MM-DD');

export const TimeEntryInputSchema = z
  .object({
    matterId: clioId,
    date: isoDate,
    durationSeconds: z
      .number({ message: 'must be a number of seconds' })
      .int('must be a whole number of seconds')
      .positive('must be greater than zero')
      .max(MAX_DURATION_SECONDS, 'must be at most 86400 (one day)'),
    description: z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters'),
    userId: clioId.optional(),
    activityCode: z
      .string()
      .regex(/^A1\d{2}$/, 'must be a UTBMS activity code such as A103')
      .optional(),
    taskCode: z
      .string()
      .regex(/^[LPCB]\d{3}$/, 'must be a UTBMS task code such as L110')
      .optional(),
    documentId: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]*!\d+(\.\d+)?$/, 'must be an iManage id such as ACTIVE!1234.1')
      .optional(),
  })
  .strict();

export const TimeEntriesRequestSchema = z
  .object({
    entries: z
      .array(TimeEntryInputSchema)
      .min(1, 'must hold at least one entry')
      .max(MAX_ENTRIES_PER_REQUEST, `must hold at most ${MAX_ENTRIES_PER_REQUEST} entries`),
  })
  .strict();

export type TimeEntryInput = z.infer<typeof TimeEntryInputSchema>;
export type TimeEntriesRequest = z.infer<typeof TimeEntriesRequestSchema>;

/** What the time-capture workflow hands one activity call: the entry plus the stable key of this write. */
export interface CreateTimeEntryCommand {
  tenant: string;
  /** workflowId + step + index: the same on every retry of this write. */
  operationKey: string;
  entry: TimeEntryInput;
  /**
   * Workflow start. The activity bounds its search by its own first scheduling, later still; this stays in the
   * command because running workflows send it.
   */
  notBefore: string;
  /**
   * Among identical entries of one request, this one's rank (0 for the first), for logs. A retry tells identical
   * entries apart by the operations ledger: what an earlier one created is held there under its own key.
   */
  duplicateRank: number;
  /**
   * The run still wants its matter's display number (a single-matter run that has none yet): a write the activity
   * finds in the operations ledger then reads it from Clio, since the answer that carried it went to an earlier
   * attempt. Absent from the commands of runs that set no MatterNumber (several matters, or started before).
   */
  matterNumberWanted?: boolean;
}

/** What one createClioTimeEntry call answers. */
export interface CreateTimeEntryResult {
  clioActivityId: string;
  /** true when an earlier attempt had already created it (found, not created again). */
  recovered: boolean;
  /**
   * The display number of the entry's matter (`00001-Martin`) as Clio answered the write or the retry's search.
   * Absent when Clio gave none, when a write found in the ledger was not asked for it (or could not be read), and
   * from results recorded before the activity returned it.
   */
  matterNumber?: string;
}

export interface CreatedTimeEntry {
  index: number;
  clioActivityId: string;
  /** true when an earlier attempt had already created it (found, not created again). */
  recovered: boolean;
}

export interface TimeCaptureInput {
  tenant: string;
  entries: TimeEntryInput[];
  requestedBy: Requester;
}

export interface TimeCaptureResult {
  created: CreatedTimeEntry[];
}

/** An entry Clio refused for good: it is not in Clio. */
export interface RejectedTimeEntry {
  index: number;
  message: string;
}

/**
 * An audit record a time-capture run could not write (the audit activity failed for good). The step it records
 * did happen: for `time_entry.created` the entry IS in Clio (it is in `created`), for `time_entry.rejected` Clio
 * refused it (it is in `failed`).
 */
export interface MissingAuditRecord {
  index: number;
  action: 'time_entry.created' | 'time_entry.rejected';
  message: string;
}

/**
 * How a time-capture run fails (the failure's `type`):
 * - `TimeEntriesRejected`: Clio refused the entries in `failed`; those in `created` are in Clio.
 * - `AuditRecordsMissing`: every entry is in Clio (`created`, `failed` is empty), but the audit records in
 *   `auditMissing` could not be written, so the audit trail is incomplete. The entries must not be sent again.
 */
export const TIME_CAPTURE_FAILURES = {
  rejected: 'TimeEntriesRejected',
  auditMissing: 'AuditRecordsMissing',
} as const;

/**
 * The details of a failed time-capture run (`failure.details` of `GET /v1/workflows/:id`, and the data of its
 * `workflow.failed` event). `auditMissing` is absent from runs started before audit records were kept apart
 * from the entries' outcome.
 */
export interface TimeCaptureFailureDetails {
  created: CreatedTimeEntry[];
  failed: RejectedTimeEntry[];
  auditMissing?: MissingAuditRecord[];
}

/**
 * Entries that Clio could not tell apart (same matter, user, date, duration and description). The workflow writes
 * such entries one after another, so when one retries, the earlier ones already hold their records in the
 * operations ledger and it does not take theirs for its own.
 */
export function naturalKey(entry: TimeEntryInput): string {
  return JSON.stringify([
    entry.matterId,
    entry.userId ?? '',
    entry.date,
    entry.durationSeconds,
    entry.description,
  ]);
}

/**
 * Entries a retry's search of Clio cannot tell apart: it matches matter, date, duration and note, and the user
 * only when the entry names one, so an entry left to the token's user finds any user's look-alike, and the note
 * carries the document (`X` with document D reads as `X [iManage D]`). The workflow writes such entries one after
 * another, like identical ones; `naturalKey` is the older, narrower grouping that runs started before keep.
 */
export function lookalikeKey(entry: TimeEntryInput): string {
  return JSON.stringify([entry.matterId, entry.date, entry.durationSeconds, clioNote(entry)]);
}

/** Rank of each entry among the identical ones before it in the same request. */
export function duplicateRanks(
  entries: readonly TimeEntryInput[],
  key: (entry: TimeEntryInput) => string = naturalKey,
): number[] {
  const seen = new Map<string, number>();
  return entries.map((e) => {
    const k = key(e);
    const rank = seen.get(k) ?? 0;
    seen.set(k, rank + 1);
    return rank;
  });
}

/** The note written to Clio: the description, and the iManage document it concerns when there is one. */
export function clioNote(entry: TimeEntryInput): string {
  return entry.documentId ? `${entry.description} [iManage ${entry.documentId}]` : entry.description;
}
