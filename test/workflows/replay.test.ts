import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../helpers/temporal-env';

const dir = path.join(__dirname, '../fixtures/histories');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('replay of recorded histories against the current workflow code', () => {
  test('there are recorded histories to replay', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });

  test.each(fixtures)('when %s is replayed, then the current code makes the same decisions', async (file) => {
    const history: unknown = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    await expect(
      Worker.runReplayHistory({ workflowBundle: await workflowBundle(), replayName: file }, history, `replay-${file}`),
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
