import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const dir = path.join(__dirname, '../fixtures/histories');
const PATCHES = [
  'time-capture-audit-and-events',
  'time-capture-keys-per-run-chain',
  'time-capture-serial-lookalikes',
];

interface HistoryEvent {
  eventType: string;
  markerRecordedEventAttributes?: { details: Record<string, { payloads: { data: string }[] }> };
  activityTaskScheduledEventAttributes?: {
    activityType: { name: string };
    input: { payloads: { data: string }[] };
  };
}

function history(file: string): HistoryEvent[] {
  return (JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { events: HistoryEvent[] }).events;
}
function patchesOf(events: HistoryEvent[]): string[] {
  return events.flatMap((e) => {
    const data = e.markerRecordedEventAttributes?.details['patch-data']?.payloads[0]?.data;
    return data ? [(JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { id: string }).id] : [];
  });
}
/** Entry indexes of the Clio writes scheduled before the first one completed: those written side by side. */
function firstWrites(events: HistoryEvent[]): number[] {
  const end = events.findIndex((e) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_COMPLETED');
  return events.slice(0, end).flatMap((e) => {
    const a = e.activityTaskScheduledEventAttributes;
    if (a?.activityType.name !== 'createClioTimeEntry') return [];
    const cmd = JSON.parse(Buffer.from(a.input.payloads[0]!.data, 'base64').toString('utf8')) as {
      operationKey: string;
    };
    return [Number(cmd.operationKey.split('/').pop())];
  });
}

// replay.test.ts replays every recorded history; this says that together they take both sides of each patch.
describe('recorded timeCapture histories cover both branches of every patched() in the workflow', () => {
  const files = readdirSync(dir).filter((f) => /^time-capture-.*\.json$/.test(f));

  test.each(PATCHES)('when %s is looked for, then one history has its marker and one does not', (patch) => {
    const marked = files.filter((f) => patchesOf(history(f)).includes(patch));
    expect(marked.length).toBeGreaterThan(0);
    expect(files.length - marked.length).toBeGreaterThan(0);
  });

  test('when look-alike entries were recorded before and after serial-lookalikes, then the old run wrote them side by side and the new one in turn', () => {
    // Same five entries in both: 0 and 1 differ only by a userId, 2 and 3 only by where the document is named.
    expect(patchesOf(history('time-capture-v3.json'))).not.toContain('time-capture-serial-lookalikes');
    expect(firstWrites(history('time-capture-v3.json'))).toEqual([0, 1, 2, 3]);
    expect(patchesOf(history('time-capture-v4.json'))).toContain('time-capture-serial-lookalikes');
    expect(firstWrites(history('time-capture-v4.json'))).toEqual([0, 2, 4]);
  });
});
