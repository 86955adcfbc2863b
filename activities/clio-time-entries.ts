import { activityInfo, Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { clioNote, type CreateTimeEntryCommand, type CreatedTimeEntry } from '../src/domain/time-entries';
import { type ClioTimeEntries, type NewTimeEntry } from '../src/integrations/clio/time-entries';
import { withFailureTranslation } from './shared/failures';
import { type OperationsLedger } from '../src/store/operations-ledger';

/** Clocks of Clio and of this service differ: look this much further back for an earlier attempt's work. */
const CLOCK_SKEW_MS = 10 * 60_000;
const KIND = 'clio.time_entry';

export interface ClioTimeEntryDeps {
  timeEntries: (tenant: string) => ClioTimeEntries;
  ledger: OperationsLedger;
}

export function createClioTimeEntryActivities(deps: ClioTimeEntryDeps) {
  return {
    /**
     * Creates one Clio time entry exactly once. Clio has no idempotency key, so a retry first looks for what an
     * earlier attempt wrote: the local ledger (fast path), then Clio itself by the entry's fields, since a crash
     * or a dropped answer can fall between Clio's write and the ledger's.
     */
    async createClioTimeEntry(cmd: CreateTimeEntryCommand): Promise<Omit<CreatedTimeEntry, 'index'>> {
      return withFailureTranslation(async () => {
        const known = await deps.ledger.get(cmd.operationKey);
        if (known?.externalId) return { clioActivityId: known.externalId, recovered: true };

        const client = deps.timeEntries(cmd.tenant);
        const entry = await toNewTimeEntry(client, cmd);
        const { attempt, scheduledTimestampMs } = activityInfo();
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
            return { clioActivityId: earlier.id, recovered: true };
          }
        }
        // A timed-out attempt must not write beside its own retry: past its timeout the worker cancels it.
        Context.current().cancellationSignal.throwIfAborted();
        const created = await client.create(entry);
        await deps.ledger.record(cmd.operationKey, {
          tenant: cmd.tenant,
          kind: KIND,
          externalId: created.id,
          outcome: 'created',
        });
        return { clioActivityId: created.id, recovered: false };
      });
    },
  };
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
