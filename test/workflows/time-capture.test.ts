import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import { timeCapture } from '../../workflows/time-capture';
import {
  TenantId,
  BusinessStatus,
  ClioMatterId,
  MatterNumber,
} from '../../workflows/shared/search-attributes';
import { TASK_QUEUES } from '../../workflows/shared/task-queues';
import {
  clioNote,
  type CreateTimeEntryCommand,
  type CreateTimeEntryResult,
  type TimeCaptureFailureDetails,
  type TimeCaptureInput,
  type TimeEntryInput,
} from '../../src/domain/time-entries';
import { createLocalEnv, uniqueQueue, workflowBundle } from '../helpers/temporal-env';
import { fakeLocalActivities } from '../helpers/fake-local-activities';
import { type RecordAuditInput } from '../../activities/audit';

const entry = (over: Partial<TimeEntryInput> = {}): TimeEntryInput => ({
  matterId: '1001',
  date: '2026-11-02',
  durationSeconds: 1800,
  description: 'Drafted the motion',
  ...over,
});

/** What the audit activity answers a record the store refuses (a non-retryable failure: no retry can fix it). */
const invalidAuditRecord = () =>
  ApplicationFailure.nonRetryable('Invalid audit record: workflowId: Too big', 'InvalidAuditRecord');
const stepsOf = (audits: RecordAuditInput[]) =>
  audits.map((a) => `${a.step.split('/').pop()}:${a.outcome}`).sort();

describe('timeCapture workflow (real Temporal dev server, fake Clio activities)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createLocalEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  async function run(
    entries: TimeEntryInput[],
    create: (cmd: CreateTimeEntryCommand) => Promise<CreateTimeEntryResult>,
    opts: {
      workflowId?: string;
      eventExpected?: boolean;
      /** An audit write to refuse (the record is then not kept), as the audit activity would. */
      auditRefusal?: (a: RecordAuditInput) => Error | undefined;
      requestedBy?: TimeCaptureInput['requestedBy'];
    } = {},
  ) {
    // The workflow routes Clio writes to the Clio queue; the test serves both queues under unique names.
    const suffix = uniqueQueue('t');
    const wfQueue = `${TASK_QUEUES.orchestration}-${suffix}`;
    const calls: CreateTimeEntryCommand[] = [];
    const { audits, events, activities: localActivities } = fakeLocalActivities();
    const local = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUES.orchestration,
      activities: {
        ...localActivities,
        recordAudit: (a: RecordAuditInput) => {
          const refusal = opts.auditRefusal?.(a);
          return refusal ? Promise.reject(refusal) : localActivities.recordAudit(a);
        },
      },
    });
    const workflows = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: wfQueue,
      workflowBundle: await workflowBundle(),
    });
    const activities = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUES.clioApi,
      activities: {
        createClioTimeEntry: async (cmd: CreateTimeEntryCommand) => {
          calls.push(cmd);
          return create(cmd);
        },
      },
    });
    const workflowId = opts.workflowId ?? `time-capture-${suffix}`;
    const outcome = await local.runUntil(
      activities.runUntil(
        workflows.runUntil(
          env.client.workflow
            .execute(timeCapture, {
              workflowId,
              taskQueue: wfQueue,
              args: [
                {
                  tenant: 'sandbox',
                  entries,
                  requestedBy: opts.requestedBy ?? { apiKeyId: 'k', role: 'attorney' },
                },
              ],
              typedSearchAttributes: [{ key: TenantId, value: 'sandbox' }],
            })
            .then(
              (result) => ({ result, error: undefined }),
              (error: unknown) => ({ result: undefined, error }),
            )
            .then(async (settled) => {
              // The event goes to a child that outlives the run: the workers keep running until it reaches its
              // first activity (a worker that has stopped cannot be run again).
              const deadline = Date.now() + 30_000;
              while (opts.eventExpected !== false && events.length === 0) {
                if (Date.now() > deadline)
                  throw new Error("the run's deliverEvent child sent no event in 30 s");
                await new Promise((r) => setTimeout(r, 100));
              }
              return settled;
            }),
        ),
      ),
    );
    const description = await env.client.workflow.getHandle(workflowId).describe();
    return {
      ...outcome,
      calls,
      audits,
      events,
      workflowId,
      // One run here, so the chain's first run is this one.
      chain: description.runId,
      attrs: description.typedSearchAttributes,
    };
  }

  test('when every write succeeds, then each entry is created once, in request order, with a stable operation key', async () => {
    let next = 500;
    const entries = [
      entry(),
      entry({ matterId: '1001', description: 'Call with client' }),
      entry({ durationSeconds: 60 }),
    ];
    const { result, calls, audits, events, workflowId, chain, attrs } = await run(entries, () =>
      Promise.resolve({ clioActivityId: String(next++), recovered: false }),
    );
    expect(result?.created.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(new Set(result?.created.map((c) => c.clioActivityId)).size).toBe(3);
    expect(calls.map((c) => c.operationKey).sort()).toEqual(
      [0, 1, 2].map((i) => `${workflowId}/${chain}/create-time-entry/${i}`),
    );
    expect(attrs.get(TenantId)).toBe('sandbox');
    expect(attrs.get(BusinessStatus)).toBe('completed');
    expect(attrs.get(ClioMatterId)).toBe(1001);
    // One audit record per business step, keyed by step, naming the Clio record it made.
    expect(audits.map((a) => a.step).sort()).toEqual([0, 1, 2].map((i) => `${chain}/entry-${i}.created`));
    expect(audits.every((a) => a.action === 'time_entry.created' && a.actor.apiKeyId === 'k')).toBe(true);
    expect(events.map((e) => e.type)).toEqual(['workflow.completed']);
  });

  test('when the key that asked names its person, then the audit records name that person, with the key beside it', async () => {
    let next = 900;
    const create = () => Promise.resolve({ clioActivityId: String(next++), recovered: false });
    const byJo = await run([entry(), entry({ durationSeconds: 120 })], create, {
      requestedBy: { apiKeyId: 'jo-laptop', role: 'billing', userId: 'jo@firm.com' },
    });
    expect(byJo.audits.map((a) => a.actor)).toEqual([
      { type: 'user', id: 'jo@firm.com', role: 'billing', apiKeyId: 'jo-laptop' },
      { type: 'user', id: 'jo@firm.com', role: 'billing', apiKeyId: 'jo-laptop' },
    ]);
    // A key naming nobody (an integration, or a key made before keys named people) is its own actor, as before.
    const byErp = await run([entry()], create);
    expect(byErp.audits.map((a) => a.actor)).toEqual([
      { type: 'api_key', id: 'k', role: 'attorney', apiKeyId: 'k' },
    ]);
  });

  test('when a workflow id runs again (an operator reset or re-run), then the event already delivered does not fail the new run', async () => {
    let next = 700;
    const create = () => Promise.resolve({ clioActivityId: String(next++), recovered: false });
    const workflowId = `time-capture-rerun-${uniqueQueue('r')}`;
    const first = await run([entry()], create, { workflowId });
    expect(first.events.map((e) => e.type)).toEqual(['workflow.completed']);
    // Its event was delivered by the first run's child; this run names the same child and sends nothing more.
    const second = await run([entry()], create, { workflowId, eventExpected: false });
    expect(second.error).toBeUndefined();
    expect(second.result?.created).toHaveLength(1);
    expect(second.attrs.get(BusinessStatus)).toBe('completed');
    expect(second.events).toEqual([]);
  });

  test('when two entries are identical, then they are written one after the other with ranks 0 and 1', async () => {
    const inFlight = new Set<string>();
    let overlapped = false;
    let n = 0;
    const { result, calls } = await run([entry(), entry()], async () => {
      if (inFlight.has('same')) overlapped = true;
      inFlight.add('same');
      await new Promise((r) => setTimeout(r, 50));
      inFlight.delete('same');
      return { clioActivityId: String(++n), recovered: false };
    });
    expect(overlapped).toBe(false);
    expect(calls.map((c) => c.duplicateRank)).toEqual([0, 1]);
    expect(result?.created).toHaveLength(2);
  });

  test('when entries differ only where Clio cannot tell them apart (a user left to the token, a document named in the note), then they are written one after the other', async () => {
    // A retry searches Clio by matter, date, duration, note and (only when given) user: an entry without a user
    // finds another user's look-alike, and the document goes into the note. Written side by side, one's retry
    // could take the other's entry before the other's ledger record holds it.
    const lookalikes = [
      entry({ description: 'Team meeting with client' }),
      entry({ description: 'Team meeting with client', userId: '7' }),
      entry({ description: 'Reviewed exhibit [iManage ACTIVE!1.1]' }),
      entry({ description: 'Reviewed exhibit', documentId: 'ACTIVE!1.1' }),
    ];
    const inFlight = new Set<string>();
    const overlapped: string[] = [];
    let n = 0;
    const { result } = await run(lookalikes, async (cmd) => {
      const note = clioNote(cmd.entry);
      if (inFlight.has(note)) overlapped.push(note);
      inFlight.add(note);
      await new Promise((r) => setTimeout(r, 100));
      inFlight.delete(note);
      return { clioActivityId: String(++n), recovered: false };
    });
    expect(overlapped).toEqual([]);
    expect(result?.created.map((c) => c.index)).toEqual([0, 1, 2, 3]);
  });

  test('when Clio refuses one entry, then the others are still created and the run fails naming the refused one', async () => {
    const { error, attrs, audits, events } = await run(
      [entry(), entry({ matterId: '9999' }), entry({ durationSeconds: 7 })],
      (cmd) => {
        if (cmd.entry.matterId === '9999') {
          return Promise.reject(
            ApplicationFailure.nonRetryable('Clio answered 422: Matter not found', 'Clio422'),
          );
        }
        return Promise.resolve({ clioActivityId: cmd.operationKey.slice(-1), recovered: false });
      },
    );
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const failure = (error as WorkflowFailedError).cause as ApplicationFailure;
    expect(failure.type).toBe('TimeEntriesRejected');
    const details = failure.details?.[0] as {
      created: { index: number }[];
      failed: { index: number; message: string }[];
    };
    expect(details.created.map((c) => c.index)).toEqual([0, 2]);
    expect(details.failed).toEqual([{ index: 1, message: 'Clio answered 422: Matter not found' }]);
    expect(attrs.get(BusinessStatus)).toBe('failed');
    expect(audits.map((a) => `${a.step.split('/').pop()}:${a.outcome}`).sort()).toEqual([
      'entry-0.created:succeeded',
      'entry-1.rejected:failed',
      'entry-2.created:succeeded',
    ]);
    expect(events.map((e) => e.type)).toEqual(['workflow.failed']);
  });

  test('when the audit record of an entry written in Clio cannot be written, then the entry is reported created and not failed, no rejection is recorded for it, and the run fails with AuditRecordsMissing naming the gap', async () => {
    const { error, attrs, audits, events } = await run(
      [entry(), entry({ durationSeconds: 60 }), entry({ durationSeconds: 7 })],
      (cmd) => Promise.resolve({ clioActivityId: `90${cmd.operationKey.slice(-1)}`, recovered: false }),
      { auditRefusal: (a) => (a.step.endsWith('/entry-1.created') ? invalidAuditRecord() : undefined) },
    );
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const failure = (error as WorkflowFailedError).cause as ApplicationFailure;
    expect(failure.type).toBe('AuditRecordsMissing');
    expect(failure.nonRetryable).toBe(true);
    // The caller must not read this as "not recorded" and send the entries again.
    expect(failure.message).toMatch(/all 3 time entries are recorded in Clio/i);
    expect(failure.message).toMatch(/audit trail is incomplete/);
    const details = failure.details?.[0] as TimeCaptureFailureDetails;
    expect(details.created).toEqual([
      { index: 0, clioActivityId: '900', recovered: false },
      { index: 1, clioActivityId: '901', recovered: false },
      { index: 2, clioActivityId: '902', recovered: false },
    ]);
    expect(details.failed).toEqual([]);
    expect(details.auditMissing).toEqual([
      {
        index: 1,
        action: 'time_entry.created',
        message: 'Invalid audit record: workflowId: Too big',
      },
    ]);
    expect(stepsOf(audits)).toEqual(['entry-0.created:succeeded', 'entry-2.created:succeeded']);
    expect(audits.filter((a) => a.action === 'time_entry.rejected')).toEqual([]);
    expect(attrs.get(BusinessStatus)).toBe('audit_incomplete');
    expect(events.map((e) => e.type)).toEqual(['workflow.failed']);
    expect(events[0]!.data).toMatchObject({
      failureType: 'AuditRecordsMissing',
      created: details.created,
      failed: [],
      auditMissing: details.auditMissing,
    });
  });

  test('when Clio refuses one entry and the audit record of another, written, entry cannot be written, then the run fails with TimeEntriesRejected naming the refused entry alone and carrying the audit gap', async () => {
    const { error, attrs, audits, events } = await run(
      [entry(), entry({ matterId: '9999' }), entry({ durationSeconds: 7 })],
      (cmd) =>
        cmd.entry.matterId === '9999'
          ? Promise.reject(ApplicationFailure.nonRetryable('Clio answered 422: Matter not found', 'Clio422'))
          : Promise.resolve({ clioActivityId: `90${cmd.operationKey.slice(-1)}`, recovered: false }),
      { auditRefusal: (a) => (a.step.endsWith('/entry-2.created') ? invalidAuditRecord() : undefined) },
    );
    const failure = (error as WorkflowFailedError).cause as ApplicationFailure;
    expect(failure.type).toBe('TimeEntriesRejected');
    const details = failure.details?.[0] as TimeCaptureFailureDetails;
    expect(details.created.map((c) => c.index)).toEqual([0, 2]);
    expect(details.failed).toEqual([{ index: 1, message: 'Clio answered 422: Matter not found' }]);
    expect(details.auditMissing).toEqual([
      { index: 2, action: 'time_entry.created', message: 'Invalid audit record: workflowId: Too big' },
    ]);
    expect(failure.message).toMatch(/1 of 3 time entries were not recorded in Clio/);
    expect(stepsOf(audits)).toEqual(['entry-0.created:succeeded', 'entry-1.rejected:failed']);
    expect(attrs.get(BusinessStatus)).toBe('failed');
    expect(events[0]!.data).toMatchObject({
      failureType: 'TimeEntriesRejected',
      failed: details.failed,
      auditMissing: details.auditMissing,
    });
  });

  test('when the rejection record of a refused entry cannot be written, then the look-alike entries after it are still written and the gap is reported', async () => {
    // Identical entries are written one after another: a failure escaping the first must not end the group.
    let n = 0;
    const { error, calls, audits } = await run(
      [entry(), entry(), entry()],
      (cmd) =>
        cmd.duplicateRank === 0
          ? Promise.reject(ApplicationFailure.nonRetryable('Clio answered 422: Matter not found', 'Clio422'))
          : Promise.resolve({ clioActivityId: String(800 + ++n), recovered: false }),
      { auditRefusal: (a) => (a.action === 'time_entry.rejected' ? invalidAuditRecord() : undefined) },
    );
    expect(calls.map((c) => c.duplicateRank)).toEqual([0, 1, 2]);
    const failure = (error as WorkflowFailedError).cause as ApplicationFailure;
    expect(failure.type).toBe('TimeEntriesRejected');
    const details = failure.details?.[0] as TimeCaptureFailureDetails;
    expect(details.created.map((c) => c.index)).toEqual([1, 2]);
    expect(details.failed.map((f) => f.index)).toEqual([0]);
    expect(details.auditMissing).toEqual([
      { index: 0, action: 'time_entry.rejected', message: 'Invalid audit record: workflowId: Too big' },
    ]);
    expect(stepsOf(audits)).toEqual(['entry-1.created:succeeded', 'entry-2.created:succeeded']);
  });

  test('when a workflow id comes back after its earlier run ended (its key reused once Temporal forgot the run), then the new run writes under keys of its own', async () => {
    const workflowId = uniqueQueue('time-capture-reused');
    const first = await run([entry()], () => Promise.resolve({ clioActivityId: '700', recovered: false }), {
      workflowId,
    });
    // Its event child has the first run's id: it is not started again.
    const second = await run(
      [entry({ description: 'Other work, same key' })],
      () => Promise.resolve({ clioActivityId: '701', recovered: false }),
      { workflowId, eventExpected: false },
    );
    expect(second.chain).not.toBe(first.chain);
    // The ledger and the audit trail are keyed by these: equal keys would hand run 1's entry to run 2.
    expect(second.calls[0]!.operationKey).not.toBe(first.calls[0]!.operationKey);
    expect(second.audits[0]!.step).not.toBe(first.audits[0]!.step);
  });

  /** The runs a visibility query finds, waited for a while: visibility is written after the run's own state. */
  async function findRuns(query: string, expected: string[]): Promise<string[]> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const ids: string[] = [];
      for await (const w of env.client.workflow.list({ query })) ids.push(w.workflowId);
      if (ids.sort().join() === [...expected].sort().join() || Date.now() > deadline) return ids.sort();
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  test("when every entry is for one matter, then the run carries that matter's display number (MatterNumber) and id (ClioMatterId), and a visibility query by the number finds it", async () => {
    const number = `00042-${uniqueQueue('Martin')}`;
    let n = 0;
    // Identical entries are written one after another: the second is sent once the first answered with the number.
    const { result, calls, attrs, workflowId } = await run([entry(), entry()], () =>
      Promise.resolve({ clioActivityId: String(600 + n++), recovered: false, matterNumber: number }),
    );
    expect(attrs.get(MatterNumber)).toBe(number);
    expect(attrs.get(ClioMatterId)).toBe(1001);
    expect(attrs.get(BusinessStatus)).toBe('completed');
    expect(await findRuns(`MatterNumber = "${number}"`, [workflowId])).toEqual([workflowId]);
    expect(await findRuns(`MatterNumber = "${number}" AND ClioMatterId = 1001`, [workflowId])).toEqual([
      workflowId,
    ]);
    // The first write asked for the number (a write found in the ledger would read it); the second did not need to.
    expect(calls.map((c) => c.matterNumberWanted ?? false)).toEqual([true, false]);
    // The run's answer keeps its shape: the number is the run's, not each entry's.
    expect(result?.created).toEqual([
      { index: 0, clioActivityId: '600', recovered: false },
      { index: 1, clioActivityId: '601', recovered: false },
    ]);
  });

  test('when the first write is recovered without a number (found in the ledger) and a later one has it, then the run carries the later one', async () => {
    const number = `00043-${uniqueQueue('Chen')}`;
    const { calls, attrs } = await run([entry(), entry()], (cmd) =>
      Promise.resolve(
        cmd.duplicateRank === 0
          ? { clioActivityId: '610', recovered: true }
          : { clioActivityId: '611', recovered: false, matterNumber: number },
      ),
    );
    expect(calls.map((c) => c.matterNumberWanted ?? false)).toEqual([true, true]);
    expect(attrs.get(MatterNumber)).toBe(number);
    expect(attrs.get(ClioMatterId)).toBe(1001);
  });

  test('when a write is recovered by a retry that found it in Clio, then the run carries the number that search answered', async () => {
    const number = `00044-${uniqueQueue('Okafor')}`;
    const { result, attrs } = await run([entry()], () =>
      Promise.resolve({ clioActivityId: '620', recovered: true, matterNumber: number }),
    );
    expect(result?.created).toEqual([{ index: 0, clioActivityId: '620', recovered: true }]);
    expect(attrs.get(MatterNumber)).toBe(number);
  });

  test('when the entries are for two matters, then the run carries neither MatterNumber nor ClioMatterId, and its writes do not ask for a number', async () => {
    const { result, calls, attrs, workflowId } = await run(
      [entry(), entry({ matterId: '1002', description: 'Other matter' })],
      (cmd) =>
        Promise.resolve({
          clioActivityId: `63${cmd.operationKey.slice(-1)}`,
          recovered: false,
          matterNumber: cmd.entry.matterId === '1001' ? '00001-Martin' : '00002-Chen',
        }),
    );
    expect(result?.created).toHaveLength(2);
    expect(attrs.get(MatterNumber)).toBeUndefined();
    expect(attrs.get(ClioMatterId)).toBeUndefined();
    expect(attrs.get(TenantId)).toBe('sandbox');
    expect(calls.every((c) => c.matterNumberWanted === undefined)).toBe(true);
    expect(await findRuns(`WorkflowId = "${workflowId}" AND MatterNumber IS NULL`, [workflowId])).toEqual([
      workflowId,
    ]);
  });

  test('when every write of a one-matter run is refused, then no number is known and MatterNumber stays unset (ClioMatterId still names the matter)', async () => {
    const { error, attrs } = await run([entry(), entry({ durationSeconds: 60 })], () =>
      Promise.reject(ApplicationFailure.nonRetryable('Clio answered 422: Matter not found', 'Clio422')),
    );
    expect((error as WorkflowFailedError).cause).toMatchObject({ type: 'TimeEntriesRejected' });
    expect(attrs.get(BusinessStatus)).toBe('failed');
    expect(attrs.get(MatterNumber)).toBeUndefined();
    expect(attrs.get(ClioMatterId)).toBe(1001);
  });
});
