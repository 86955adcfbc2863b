/**
 * Records the history of a real timeCapture run (real dev server, fake Clio and audit activities) as the JSON that
 * `temporal workflow show --output json` prints, for the replay test. Run it when a workflow changes shape:
 *   npx tsx scripts/record-history.ts test/fixtures/histories/time-capture-v2.json
 *   npx tsx scripts/record-history.ts test/fixtures/histories/time-capture-v5.json audit-gaps
 *   npx tsx scripts/record-history.ts test/fixtures/histories/time-capture-v6.json matter-number
 *   npx tsx scripts/record-history.ts test/fixtures/histories/time-capture-v7-person.json person
 * The second argument names the scenario (below); the workflow id it runs under goes into workflow-ids.json.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { type RecordAuditInput } from '../activities/audit';
import { timeCapture } from '../workflows/time-capture';
import { TASK_QUEUES } from '../workflows/shared/task-queues';
import { TenantId } from '../workflows/shared/search-attributes';
import {
  type CreateTimeEntryCommand,
  type CreateTimeEntryResult,
  type TimeCaptureInput,
  type TimeEntryInput,
} from '../src/domain/time-entries';
import { createLocalEnv, workflowBundle } from '../test/helpers/temporal-env';
import { fakeLocalActivities } from '../test/helpers/fake-local-activities';
import { ensureTemporalCli } from '../src/dev/toolchain';

const entry: TimeEntryInput = {
  matterId: '1001',
  date: '2026-11-02',
  durationSeconds: 1800,
  description: 'Drafted the motion',
};

interface Scenario {
  workflowId: string;
  entries: TimeEntryInput[];
  /**
   * Clio's answer to a write: an error is a refusal for good; a result's fields replace those of the written
   * answer (a new id, not recovered, the matter's display number from MATTER_NUMBERS).
   */
  clio?: (cmd: CreateTimeEntryCommand) => Error | Partial<CreateTimeEntryResult> | undefined;
  /** The audit activity's answer to a record: an error is a refusal for good (the record is not written). */
  audit?: (a: RecordAuditInput) => Error | undefined;
  /** Who asked (default: the sandbox attorney's key, as the API's inputs named it before keys named people). */
  requestedBy?: TimeCaptureInput['requestedBy'];
}

const indexOf = (cmd: CreateTimeEntryCommand) => Number(cmd.operationKey.split('/').pop());

/** The display numbers the fake Clio answers for its matters (a matter not listed answers none). */
const MATTER_NUMBERS: Record<string, string> = { '1001': '00001-Martin' };

const SCENARIOS: Record<string, Scenario> = {
  /** Every write and record succeeds; two of the entries are identical. */
  batch: {
    workflowId: 'timeCapture-sandbox-replay-fixture',
    entries: [entry, entry, { ...entry, durationSeconds: 60 }],
  },
  /**
   * Audit records that cannot be written (the activity's non-retryable InvalidAuditRecord) beside entries Clio
   * refuses: entry 1 is written but its `created` record refused; 2 and 3 are refused by Clio, and 3's
   * `rejected` record refused too; 4, identical to 3, is written after it.
   */
  'audit-gaps': {
    workflowId: 'timeCapture-sandbox-replay-audit-gaps',
    entries: [
      entry,
      { ...entry, description: 'Call with client' },
      { ...entry, matterId: '9999' },
      { ...entry, durationSeconds: 60 },
      { ...entry, durationSeconds: 60 },
    ],
    clio: (cmd) =>
      [2, 3].includes(indexOf(cmd))
        ? ApplicationFailure.nonRetryable('Clio answered 422: Matter not found', 'Clio422')
        : undefined,
    audit: (a) =>
      /\/entry-1\.created$|\/entry-3\.rejected$/.test(a.step)
        ? ApplicationFailure.nonRetryable('Invalid audit record: workflowId: Too big', 'InvalidAuditRecord')
        : undefined,
  },
  /**
   * One matter, so the run sets MatterNumber: entries 0 and 1 are identical (written one after the other), 2 is
   * written beside them. Entry 0 comes back as a write found in the ledger without a number (as a result from
   * before the activity returned one reads); the others carry the matter's display number.
   */
  'matter-number': {
    workflowId: 'timeCapture-sandbox-replay-matter-number',
    entries: [entry, entry, { ...entry, durationSeconds: 60 }],
    clio: (cmd) => (indexOf(cmd) === 0 ? { recovered: true, matterNumber: undefined } : undefined),
  },
  /** Asked for with a key that names its person: the run's audit records name that person. */
  person: {
    workflowId: 'timeCapture-sandbox-replay-person',
    entries: [entry, { ...entry, durationSeconds: 60 }],
    requestedBy: { apiKeyId: 'sandbox-billing', role: 'billing', userId: 'billing@sandbox.test' },
  },
};

async function main(out: string, scenarioName: string): Promise<void> {
  const scenario = SCENARIOS[scenarioName];
  if (!scenario) throw new Error(`no scenario ${scenarioName}; one of ${Object.keys(SCENARIOS).join(', ')}`);
  const env = await createLocalEnv();
  try {
    let id = 100;
    const local = fakeLocalActivities().activities;
    const workflows = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUES.orchestration,
      workflowBundle: await workflowBundle(),
      activities: {
        ...local,
        recordAudit: (a: RecordAuditInput) => {
          const refusal = scenario.audit?.(a);
          return refusal ? Promise.reject(refusal) : local.recordAudit(a);
        },
      },
    });
    const activities = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUES.clioApi,
      activities: {
        createClioTimeEntry: (cmd: CreateTimeEntryCommand): Promise<CreateTimeEntryResult> => {
          const answer = scenario.clio?.(cmd);
          if (answer instanceof Error) return Promise.reject(answer);
          const matterNumber = MATTER_NUMBERS[cmd.entry.matterId];
          return Promise.resolve({
            clioActivityId: String(id++),
            recovered: false,
            ...(matterNumber ? { matterNumber } : {}),
            ...answer,
          });
        },
      },
    });
    const { workflowId } = scenario;
    const outcome = await activities.runUntil(
      workflows.runUntil(
        env.client.workflow
          .execute(timeCapture, {
            workflowId,
            taskQueue: TASK_QUEUES.orchestration,
            args: [
              {
                tenant: 'sandbox',
                entries: scenario.entries,
                requestedBy: scenario.requestedBy ?? { apiKeyId: 'sandbox-attorney', role: 'attorney' },
              },
            ],
            typedSearchAttributes: [{ key: TenantId, value: 'sandbox' }],
          })
          // A run that fails (entries refused) is recorded as well: its history is what is wanted.
          .then(
            () => 'completed',
            (err: unknown) => `failed (${err instanceof Error ? err.message : String(err)})`,
          ),
      ),
    );
    const address = (env.connection as unknown as { options: { address: string } }).options.address;
    const json = execFileSync(
      ensureTemporalCli(process.env, false),
      ['workflow', 'show', '--address', address, '-w', workflowId, '--output', 'json'],
      { encoding: 'utf8' },
    );
    writeFileSync(out, json);
    const idsFile = join(dirname(out), 'workflow-ids.json');
    const ids = JSON.parse(readFileSync(idsFile, 'utf8')) as Record<string, string>;
    writeFileSync(idsFile, `${JSON.stringify({ ...ids, [basename(out)]: workflowId }, null, 2)}\n`);
    process.stdout.write(`wrote ${out} (run ${outcome})\n`);
  } finally {
    await env.teardown();
  }
}

void main(process.argv[2] ?? 'test/fixtures/histories/time-capture-v2.json', process.argv[3] ?? 'batch');
