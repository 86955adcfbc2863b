import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../helpers/temporal-env';

const dir = path.join(__dirname, '../fixtures/histories');
// Histories carry no workflow id, and workflows that derive ids from their own (child ids, keys) need the real one.
const workflowIds = JSON.parse(readFileSync(path.join(dir, 'workflow-ids.json'), 'utf8')) as Record<
  string,
  string
>;
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'workflow-ids.json');

describe('replay of recorded histories against the current workflow code', () => {
  test('there are recorded histories to replay, each with its workflow id', () => {
    expect(fixtures.length).toBeGreaterThan(0);
    for (const f of fixtures) expect(workflowIds[f]).toBeDefined();
  });

  test.each(fixtures)('when %s is replayed, then the current code makes the same decisions', async (file) => {
    const history: unknown = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    await expect(
      Worker.runReplayHistory(
        { workflowBundle: await workflowBundle(), replayName: file },
        history,
        workflowIds[file],
      ),
    ).resolves.toBeUndefined();
  });

  test('when the workflow code changes its decisions, then replay detects it (the check can fail)', async () => {
    const history = JSON.parse(readFileSync(path.join(dir, 'time-capture-v1.json'), 'utf8')) as {
      events: { workflowExecutionStartedEventAttributes?: { workflowType: { name: string } } }[];
    };
    // Same history, but claimed by a workflow type whose code makes no activity calls.
    history.events[0]!.workflowExecutionStartedEventAttributes!.workflowType.name = 'incompatibleTimeCapture';
    await expect(
      Worker.runReplayHistory(
        { workflowsPath: require.resolve('../fixtures/incompatible-workflows'), replayName: 'incompatible' },
        history,
        'replay-incompatible',
      ),
    ).rejects.toThrow(/[Nn]ondeterminism|DeterminismViolation|Activity/);
  });
});
