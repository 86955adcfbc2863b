import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const dir = path.join(__dirname, '../fixtures/histories');
const PATCHES = [
  'time-capture-audit-and-events',
  'time-capture-keys-per-run-chain',
  'time-capture-serial-lookalikes',
  'time-capture-audit-apart',
];

interface HistoryEvent {
  eventType: string;
  markerRecordedEventAttributes?: { details: Record<string, { payloads: { data: string }[] }> };
  eventId: string;
  activityTaskScheduledEventAttributes?: {
    activityType: { name: string };
    input: { payloads: { data: string }[] };
  };
  activityTaskFailedEventAttributes?: { scheduledEventId: string };
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

/** The activities of one type the run scheduled, each named by the last part of its key, and whether it failed. */
function scheduled(events: HistoryEvent[], activity: string): { key: string; failed: boolean }[] {
  const failed = new Set(events.flatMap((e) => e.activityTaskFailedEventAttributes?.scheduledEventId ?? []));
  return events.flatMap((e) => {
    const a = e.activityTaskScheduledEventAttributes;
    if (a?.activityType.name !== activity) return [];
    const input = JSON.parse(Buffer.from(a.input.payloads[0]!.data, 'base64').toString('utf8')) as {
      operationKey?: string;
      step?: string;
    };
    return [{ key: (input.operationKey ?? input.step)!.split('/').pop()!, failed: failed.has(e.eventId) }];
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

  test('when audit records could not be written after audit-apart, then the recorded run kept each entry as Clio answered and went on with the entries after', () => {
    // v5: 1 written, its created record refused; 2 and 3 refused by Clio, 3's rejected record refused too; 4, identical
    // to 3, written after it. Before the patch, 1 was also recorded as rejected and 4 was never written.
    const v5 = history('time-capture-v5.json');
    expect(patchesOf(v5)).toContain('time-capture-audit-apart');
    const byKey = (xs: { key: string; failed: boolean }[]) =>
      xs.map((x) => `${x.key}${x.failed ? ' (failed)' : ''}`).sort();
    expect(byKey(scheduled(v5, 'createClioTimeEntry'))).toEqual(['0', '1', '2 (failed)', '3 (failed)', '4']);
    expect(byKey(scheduled(v5, 'recordAudit'))).toEqual([
      'entry-0.created',
      'entry-1.created (failed)',
      'entry-2.rejected',
      'entry-3.rejected (failed)',
      'entry-4.created',
    ]);
  });

  test('when the same audit gaps were recorded before audit-apart, then that run took the old path (and replay.test.ts keeps it replaying)', () => {
    // Same input as v5, recorded with the code of v4: entry 1 also recorded as rejected, entry 4 never written.
    const old = history('time-capture-v4-audit-gaps.json');
    expect(patchesOf(old)).not.toContain('time-capture-audit-apart');
    const keys = (xs: { key: string }[]) => xs.map((x) => x.key).sort();
    expect(keys(scheduled(old, 'createClioTimeEntry'))).toEqual(['0', '1', '2', '3']);
    expect(keys(scheduled(old, 'recordAudit'))).toContain('entry-1.rejected');
  });
});
