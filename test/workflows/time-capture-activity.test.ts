import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { createClioTimeEntryActivities } from '../../activities/clio-time-entries';
import { type ClioTimeEntries, type NewTimeEntry } from '../../src/integrations/clio/time-entries';
import { type Operation, type OperationsLedger } from '../../src/store/operations-ledger';
import { type CreateTimeEntryCommand } from '../../src/domain/time-entries';

/** An in-memory ledger and a Clio whose calls can take (fake) time. */
function fakes(opts: { lookupMs?: number } = {}) {
  let clock = 1_800_000_000_000;
  const ops = new Map<string, Operation>();
  const writes: NewTimeEntry[] = [];
  const ledger: OperationsLedger = {
    get: (key) => Promise.resolve(ops.get(key)),
    record: (key, input) => {
      const at = new Date(clock);
      const op: Operation = {
        key,
        tenant: input.tenant,
        kind: input.kind,
        ...(input.externalId ? { externalId: input.externalId } : {}),
        outcome: input.outcome,
        createdAt: at,
        updatedAt: at,
      };
      ops.set(key, op);
      return Promise.resolve(op);
    },
    holders: () => Promise.resolve(new Map()),
    prune: () => Promise.resolve(0),
  };
  const client = {
    utbmsCodeId: (code: string) => {
      clock += opts.lookupMs ?? 0;
      return Promise.resolve(code === 'L110' ? '11' : undefined);
    },
    findMatching: () => Promise.resolve([]),
    create: (entry: NewTimeEntry) => {
      writes.push(entry);
      return Promise.resolve({ id: String(900 + writes.length) });
    },
  } as unknown as ClioTimeEntries;
  jest.spyOn(Date, 'now').mockImplementation(() => clock);
  const activities = createClioTimeEntryActivities({ timeEntries: () => client, ledger });
  return { activities, writes, now: () => clock };
}

const cmd: CreateTimeEntryCommand = {
  tenant: 'sandbox',
  operationKey: 'timeCapture-sandbox-x/run/create-time-entry/0',
  entry: {
    matterId: '1001',
    date: '2026-11-02',
    durationSeconds: 1800,
    description: 'Drafted',
    taskCode: 'L110',
  },
  notBefore: '2026-11-02T09:00:00.000Z',
  duplicateRank: 0,
};

describe('createClioTimeEntry activity (fake Clio and ledger)', () => {
  afterEach(() => jest.restoreAllMocks());

  test('when an attempt reaches its write too late to finish it inside its start-to-close timeout, then it ends without writing, and its retry writes once', async () => {
    // The lookups before the write took 100 s of a 120 s attempt. Sent now, the write could wait up to 30 s for
    // Clio's rate budget and 30 s for the answer: it would land after Temporal timed the attempt out and
    // scheduled a retry, whose search may run first, find nothing and write a second entry.
    const { activities, writes, now } = fakes({ lookupMs: 100_000 });
    const first = new MockActivityEnvironment({
      attempt: 1,
      startToCloseTimeoutMs: 120_000,
      scheduledTimestampMs: now(),
      currentAttemptScheduledTimestampMs: now(),
    });
    const failure = await first
      .run((c: CreateTimeEntryCommand) => activities.createClioTimeEntry(c), cmd)
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(writes).toHaveLength(0);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).nonRetryable).toBeFalsy();

    const { activities: again, writes: retried } = fakes();
    const second = new MockActivityEnvironment({
      attempt: 2,
      startToCloseTimeoutMs: 120_000,
      scheduledTimestampMs: now(),
      currentAttemptScheduledTimestampMs: now(),
    });
    await expect(
      second.run((c: CreateTimeEntryCommand) => again.createClioTimeEntry(c), cmd),
    ).resolves.toEqual({
      clioActivityId: '901',
      recovered: false,
    });
    expect(retried).toHaveLength(1);
  });
});
