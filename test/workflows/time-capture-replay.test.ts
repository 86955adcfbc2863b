import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const dir = path.join(__dirname, '../fixtures/histories');
const PATCHES = [
  'time-capture-audit-and-events',
  'time-capture-keys-per-run-chain',
  'time-capture-serial-lookalikes',
  'time-capture-audit-apart',
  'time-capture-matter-number',
];

interface HistoryEvent {
  eventType: string;
  upsertWorkflowSearchAttributesEventAttributes?: {
    searchAttributes: { indexedFields: Record<string, { data: string }> };
  };
  activityTaskCompletedEventAttributes?: {
    scheduledEventId: string;
    result?: { payloads: { data: string }[] };
  };
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

const decode = (data: string): unknown => JSON.parse(Buffer.from(data, 'base64').toString('utf8'));

/** The values the run upserted for one search attribute, in order. */
function upserts(events: HistoryEvent[], attribute: string): unknown[] {
  return events.flatMap((e) => {
    const field = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes.indexedFields[attribute];
    return field ? [decode(field.data)] : [];
  });
}

/** The inputs of the scheduled createClioTimeEntry activities and their results (undefined: failed). */
function writes(
  events: HistoryEvent[],
): { cmd: Record<string, unknown>; result?: Record<string, unknown> }[] {
  const results = new Map(
    events.flatMap((e) => {
      const c = e.activityTaskCompletedEventAttributes;
      return c?.result ? [[c.scheduledEventId, decode(c.result.payloads[0]!.data)] as const] : [];
    }),
  );
  return events.flatMap((e) => {
    const a = e.activityTaskScheduledEventAttributes;
    if (a?.activityType.name !== 'createClioTimeEntry') return [];
    return [
      {
        cmd: decode(a.input.payloads[0]!.data) as Record<string, unknown>,
        result: results.get(e.eventId) as Record<string, unknown> | undefined,
      },
    ];
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

  test("when a single-matter run was recorded after matter-number, then it upserted its matter's display number once, from the first write that answered one; no run before did", () => {
    // v6: entries 0 and 1 identical (one after the other), 2 beside them; 0 came back recovered from the ledger
    // without a number (as a result recorded before the field existed reads), 1 and 2 with Clio's number.
    const v6 = history('time-capture-v6.json');
    expect(patchesOf(v6)).toContain('time-capture-matter-number');
    expect(upserts(v6, 'ClioMatterId')).toEqual([1001]);
    expect(upserts(v6, 'MatterNumber')).toEqual(['00001-Martin']);
    const recorded = writes(v6);
    expect(recorded.map((w) => w.result?.matterNumber ?? null).sort()).toEqual([
      '00001-Martin',
      '00001-Martin',
      null,
    ]);
    // The writes sent while the run had no number asked for it.
    expect(recorded.some((w) => w.cmd.matterNumberWanted === true)).toBe(true);
    for (const f of files.filter((f) => !patchesOf(history(f)).includes('time-capture-matter-number')))
      expect(upserts(history(f), 'MatterNumber')).toEqual([]);
  });

  test('when a run was asked for with a key naming its person, then its audit records name that person with the key beside it; runs recorded before keys named people name the key', () => {
    const actors = (events: HistoryEvent[]) =>
      events.flatMap((e) => {
        const a = e.activityTaskScheduledEventAttributes;
        if (a?.activityType.name !== 'recordAudit') return [];
        return [
          (
            JSON.parse(Buffer.from(a.input.payloads[0]!.data, 'base64').toString('utf8')) as {
              actor: unknown;
            }
          ).actor,
        ];
      });
    expect(actors(history('time-capture-v7-person.json'))).toEqual([
      { type: 'user', id: 'billing@sandbox.test', role: 'billing', apiKeyId: 'sandbox-billing' },
      { type: 'user', id: 'billing@sandbox.test', role: 'billing', apiKeyId: 'sandbox-billing' },
    ]);
    const before = history('time-capture-v6.json');
    expect(new Set(actors(before).map((a) => JSON.stringify(a)))).toEqual(
      new Set([
        JSON.stringify({
          type: 'api_key',
          id: 'sandbox-attorney',
          role: 'attorney',
          apiKeyId: 'sandbox-attorney',
        }),
      ]),
    );
  });

  test('when the same run was recorded by the code before matter-number, with results already carrying the number (activity workers deployed first), then it upserted no MatterNumber, and replay.test.ts keeps it replaying only through the patch', () => {
    const old = history('time-capture-v5-matter-numbers.json');
    expect(patchesOf(old)).not.toContain('time-capture-matter-number');
    expect(writes(old).filter((w) => w.result?.matterNumber === '00001-Martin')).toHaveLength(2);
    expect(upserts(old, 'MatterNumber')).toEqual([]);
    expect(upserts(old, 'ClioMatterId')).toEqual([1001]);
  });
});
