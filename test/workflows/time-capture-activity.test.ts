import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { createClioTimeEntryActivities } from '../../activities/clio-time-entries';
import { type ClioTimeEntries, type NewTimeEntry } from '../../src/integrations/clio/time-entries';
import { type Operation, type OperationsLedger } from '../../src/store/operations-ledger';
import { type CreateTimeEntryCommand } from '../../src/domain/time-entries';

const MATTER_NUMBER = '00001-Martin';

/**
 * An in-memory ledger and a Clio whose calls can take (fake) time. Clio answers with the matter's display number
 * (`matterNumber`; null: an answer without one), finds `found` on a retry's search and fails `matterNumberOf` with
 * `readFails`.
 */
function fakes(
  opts: {
    lookupMs?: number;
    matterNumber?: string | null;
    found?: { id: string }[];
    ledger?: Record<string, string>;
    readFails?: Error;
  } = {},
) {
  let clock = 1_800_000_000_000;
  const ops = new Map<string, Operation>(
    Object.entries(opts.ledger ?? {}).map(([key, externalId]) => [
      key,
      {
        key,
        tenant: 'sandbox',
        kind: 'clio.time_entry',
        externalId,
        outcome: 'created',
        createdAt: new Date(clock),
        updatedAt: new Date(clock),
      },
    ]),
  );
  const writes: NewTimeEntry[] = [];
  /** Every Clio request but the UTBMS list: what the activity spent. */
  const requests: string[] = [];
  const matter = {
    id: '1001',
    ...(opts.matterNumber === null ? {} : { display_number: opts.matterNumber ?? MATTER_NUMBER }),
  };
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
    findMatching: () => {
      requests.push('search');
      return Promise.resolve((opts.found ?? []).map((f) => ({ ...f, matter })));
    },
    create: (entry: NewTimeEntry) => {
      requests.push('create');
      writes.push(entry);
      return Promise.resolve({ id: String(900 + writes.length), matter });
    },
    matterNumberOf: (id: string) => {
      requests.push(`read ${id}`);
      return opts.readFails ? Promise.reject(opts.readFails) : Promise.resolve(matter.display_number);
    },
  } as unknown as ClioTimeEntries;
  jest.spyOn(Date, 'now').mockImplementation(() => clock);
  const activities = createClioTimeEntryActivities({ timeEntries: () => client, ledger });
  return { activities, writes, requests, now: () => clock };
}

/** Runs the activity as attempt `attempt` of a 120 s start-to-close timeout. */
function attempt(
  f: ReturnType<typeof fakes>,
  c: CreateTimeEntryCommand,
  n = 1,
): Promise<Awaited<ReturnType<ReturnType<typeof fakes>['activities']['createClioTimeEntry']>>> {
  const env = new MockActivityEnvironment({
    attempt: n,
    startToCloseTimeoutMs: 120_000,
    scheduledTimestampMs: f.now(),
    currentAttemptScheduledTimestampMs: f.now(),
  });
  return env.run((x: CreateTimeEntryCommand) => f.activities.createClioTimeEntry(x), c);
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
      matterNumber: MATTER_NUMBER,
    });
    expect(retried).toHaveLength(1);
  });

  test("when the entry is written, then the result names the matter's display number from Clio's answer to the write, and nothing more is asked of Clio", async () => {
    const f = fakes();
    await expect(attempt(f, cmd)).resolves.toEqual({
      clioActivityId: '901',
      recovered: false,
      matterNumber: MATTER_NUMBER,
    });
    expect(f.requests).toEqual(['create']);
  });

  test("when a retry's search finds what an earlier attempt wrote, then the result names the matter's display number from the search's answer", async () => {
    const f = fakes({ found: [{ id: '555' }] });
    await expect(attempt(f, cmd, 2)).resolves.toEqual({
      clioActivityId: '555',
      recovered: true,
      matterNumber: MATTER_NUMBER,
    });
    expect(f.requests).toEqual(['search']);
  });

  test("when Clio's answer carries no display number, then the result has none", async () => {
    const f = fakes({ matterNumber: null });
    const result = await attempt(f, cmd);
    expect(result).toEqual({ clioActivityId: '901', recovered: false });
    expect(result).not.toHaveProperty('matterNumber');
  });

  test('when the ledger already holds the write and the run still wants its matter number, then the entry is read once for it, and not written', async () => {
    const f = fakes({ ledger: { [cmd.operationKey]: '777' } });
    await expect(attempt(f, { ...cmd, matterNumberWanted: true }, 2)).resolves.toEqual({
      clioActivityId: '777',
      recovered: true,
      matterNumber: MATTER_NUMBER,
    });
    expect(f.requests).toEqual(['read 777']);
  });

  test('when the ledger already holds the write and the run does not want the number (it has it, or a command from before), then Clio is not asked at all', async () => {
    for (const c of [cmd, { ...cmd, matterNumberWanted: false }]) {
      const f = fakes({ ledger: { [cmd.operationKey]: '777' } });
      await expect(attempt(f, c, 2)).resolves.toEqual({ clioActivityId: '777', recovered: true });
      expect(f.requests).toEqual([]);
    }
  });

  test('when reading the number of a write the ledger holds fails, then the write is still reported recovered, without a number (it is in Clio: failing it would have it sent again)', async () => {
    const f = fakes({
      ledger: { [cmd.operationKey]: '777' },
      readFails: new Error('Clio answered 503'),
    });
    await expect(attempt(f, { ...cmd, matterNumberWanted: true }, 2)).resolves.toEqual({
      clioActivityId: '777',
      recovered: true,
    });
    expect(f.requests).toEqual(['read 777']);
  });
});
