import { activityInfo, Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import {
  clioNote,
  type CreateTimeEntryCommand,
  type CreateTimeEntryResult,
} from '../src/domain/time-entries';
import { SERVICE_MAX_BUDGET_WAIT_MS } from '../src/integrations/clio/rate-budget-registry';
import { type ClioTimeEntries, type NewTimeEntry } from '../src/integrations/clio/time-entries';
import { withFailureTranslation } from './shared/failures';
import { type OperationsLedger } from '../src/store/operations-ledger';

/** Clocks of Clio and of this service differ: look this much further back for an earlier attempt's work. */
const CLOCK_SKEW_MS = 10 * 60_000;
const KIND = 'clio.time_entry';
/** How long the write waits for Clio's answer. */
const WRITE_TIMEOUT_MS = 30_000;
/**
 * Room the write needs before the attempt's start-to-close timeout: the longest wait for the rate budget, then
 * the answer, and a margin. A write sent later can land after Temporal timed the attempt out and scheduled a
 * retry (2 s later), whose search may run first, find nothing and write a second entry: the worker cancels a
 * timed-out attempt only 5 s after the server gave up on it, and the cancellation is looked at only before the
 * request.
 */
const WRITE_MARGIN_MS = 5_000;
const WRITE_ROOM_MS = SERVICE_MAX_BUDGET_WAIT_MS + WRITE_TIMEOUT_MS + WRITE_MARGIN_MS;

export interface ClioTimeEntryDeps {
  timeEntries: (tenant: string) => ClioTimeEntries;
  ledger: OperationsLedger;
}

export function createClioTimeEntryActivities(deps: ClioTimeEntryDeps) {
  return {
    /**
     * Creates one Clio time entry exactly once. Clio has no idempotency key, so a retry first looks for what an
     * earlier attempt wrote: the local ledger (fast path), then Clio itself by the entry's fields, since a crash
     * or a dropped answer can fall between Clio's write and the ledger's. The result names the matter's display
     * number as Clio's answer to the write (or the search) gave it.
     */
    async createClioTimeEntry(cmd: CreateTimeEntryCommand): Promise<CreateTimeEntryResult> {
      const attemptStartedAt = Date.now();
      return withFailureTranslation(async () => {
        const known = await deps.ledger.get(cmd.operationKey);
        if (known?.externalId) {
          // Its answer, and the number on it, went to an earlier attempt: one read, only if the run wants it.
          const matterNumber = cmd.matterNumberWanted
            ? await matterNumberOf(deps.timeEntries(cmd.tenant), known.externalId)
            : undefined;
          return withMatterNumber({ clioActivityId: known.externalId, recovered: true }, matterNumber);
        }

        const client = deps.timeEntries(cmd.tenant);
        const entry = await toNewTimeEntry(client, cmd);
        const { attempt, scheduledTimestampMs, startToCloseTimeoutMs } = activityInfo();
        if (attempt > 1) {
          // An earlier attempt of this activity wrote, if at all, after it was first scheduled.
          const since = new Date(scheduledTimestampMs - CLOCK_SKEW_MS).toISOString();
          const matches = await client.findMatching(entry, since);
          // A look-alike another operation already holds (an identical entry of this request or of another
          // one) is theirs, not what this activity's earlier attempt wrote.
          const held = await deps.ledger.holders(
            cmd.tenant,
            KIND,
            matches.map((m) => m.id),
          );
          const earlier = matches.find((m) => !held.has(m.id));
          if (earlier) {
            log.info('Found the time entry an earlier attempt created', { clioActivityId: earlier.id });
            await deps.ledger.record(cmd.operationKey, {
              tenant: cmd.tenant,
              kind: KIND,
              externalId: earlier.id,
              outcome: 'recovered',
            });
            return withMatterNumber(
              { clioActivityId: earlier.id, recovered: true },
              earlier.matter?.display_number,
            );
          }
        }
        // A timed-out attempt must not write beside its own retry: past its timeout the worker cancels it.
        Context.current().cancellationSignal.throwIfAborted();
        const attemptEndsAt = attemptStartedAt + startToCloseTimeoutMs;
        const left = attemptEndsAt - Date.now();
        if (left < WRITE_ROOM_MS) {
          // Nothing written: the retry searches Clio first, then writes with a whole attempt ahead of it.
          throw ApplicationFailure.retryable(
            `Too little of the attempt left to write the time entry (${Math.round(left / 1000)} s)`,
            'ClioWriteDeadline',
          );
        }
        // And never sent later than that, whatever the token refresh, the budget or a 401's second try take.
        const created = await client.create(entry, {
          timeoutMs: WRITE_TIMEOUT_MS,
          sendBy: attemptEndsAt - WRITE_TIMEOUT_MS - WRITE_MARGIN_MS,
        });
        await deps.ledger.record(cmd.operationKey, {
          tenant: cmd.tenant,
          kind: KIND,
          externalId: created.id,
          outcome: 'created',
        });
        return withMatterNumber(
          { clioActivityId: created.id, recovered: false },
          created.matter?.display_number,
        );
      });
    },
  };
}

/** The result, with the matter's display number when Clio gave one (no key at all otherwise). */
function withMatterNumber(
  result: Omit<CreateTimeEntryResult, 'matterNumber'>,
  matterNumber: string | undefined,
): CreateTimeEntryResult {
  return matterNumber ? { ...result, matterNumber } : result;
}

/**
 * The display number of the matter of an entry already in Clio, or undefined when it cannot be read now. Never a
 * failure: the entry is written, and failing the activity for its number would have it reported failed (and sent
 * again). The run takes the number from another entry's answer if it has one; if not, it stays without it.
 */
async function matterNumberOf(client: ClioTimeEntries, activityId: string): Promise<string | undefined> {
  try {
    return await client.matterNumberOf(activityId);
  } catch (err) {
    Context.current().cancellationSignal.throwIfAborted();
    log.warn("Could not read the matter's display number of a time entry already written", {
      clioActivityId: activityId,
      error: err instanceof Error ? err.message : String(err),
    });
    return undefined;
  }
}

async function toNewTimeEntry(client: ClioTimeEntries, cmd: CreateTimeEntryCommand): Promise<NewTimeEntry> {
  const { entry } = cmd;
  const lookup = async (code: string | undefined) => {
    if (!code) return undefined;
    const id = await client.utbmsCodeId(code);
    if (!id) {
      throw ApplicationFailure.nonRetryable(`UTBMS code ${code} is not enabled in Clio`, 'UnknownUtbmsCode');
    }
    return id;
  };
  return {
    matterId: entry.matterId,
    userId: entry.userId,
    date: entry.date,
    quantitySeconds: entry.durationSeconds,
    note: clioNote(entry),
    utbmsTaskId: await lookup(entry.taskCode),
    utbmsActivityId: await lookup(entry.activityCode),
  };
}
