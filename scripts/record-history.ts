/**
 * Records the history of a real timeCapture run (real dev server, fake Clio activities) as the JSON that
 * `temporal workflow show --output json` prints, for the replay test. Run it when a workflow changes shape:
 *   npx tsx scripts/record-history.ts test/fixtures/histories/time-capture-v2.json
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { timeCapture } from '../workflows/time-capture';
import { TASK_QUEUES } from '../workflows/shared/task-queues';
import { TenantId } from '../workflows/shared/search-attributes';
import { createLocalEnv, workflowBundle } from '../test/helpers/temporal-env';
import { fakeLocalActivities } from '../test/helpers/fake-local-activities';
import { ensureTemporalCli } from '../src/dev/toolchain';

async function main(out: string): Promise<void> {
  const env = await createLocalEnv();
  try {
    let id = 100;
    const workflows = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUES.orchestration,
      workflowBundle: await workflowBundle(),
      activities: fakeLocalActivities().activities,
    });
    const activities = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUES.clioApi,
      activities: {
        createClioTimeEntry: () => Promise.resolve({ clioActivityId: String(id++), recovered: false }),
      },
    });
    const workflowId = 'timeCapture-sandbox-replay-fixture';
    const entry = {
      matterId: '1001',
      date: '2026-11-02',
      durationSeconds: 1800,
      description: 'Drafted the motion',
    };
    await activities.runUntil(
      workflows.runUntil(
        env.client.workflow.execute(timeCapture, {
          workflowId,
          taskQueue: TASK_QUEUES.orchestration,
          args: [
            {
              tenant: 'sandbox',
              entries: [entry, entry, { ...entry, durationSeconds: 60 }],
              requestedBy: { apiKeyId: 'sandbox-attorney', role: 'attorney' },
            },
          ],
          typedSearchAttributes: [{ key: TenantId, value: 'sandbox' }],
        }),
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
    process.stdout.write(`wrote ${out}\n`);
  } finally {
    await env.teardown();
  }
}

void main(process.argv[2] ?? 'test/fixtures/histories/time-capture-v2.json');
