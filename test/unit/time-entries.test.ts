import {
  clioNote,
  duplicateRanks,
  lookalikeKey,
  TimeEntriesRequestSchema,
  type TimeEntryInput,
} from '../../src/domain/time-entries';

const base: TimeEntryInput = {
  matterId: '12',
  date: '2026-11-02',
  durationSeconds: 600,
  description: 'Review',
};

describe('time-entry rules', () => {
  test('when entries repeat, then each gets its rank among the identical ones before it', () => {
    const other = { ...base, durationSeconds: 60 };
    expect(duplicateRanks([base, other, base, base, other])).toEqual([0, 0, 1, 2, 1]);
  });

  test('when entries differ only in a userId or in where the document is named, then they are look-alikes (a retry could confuse them)', () => {
    expect(lookalikeKey({ ...base, userId: '7' })).toBe(lookalikeKey(base));
    expect(lookalikeKey({ ...base, documentId: 'ACTIVE!12.3' })).toBe(
      lookalikeKey({ ...base, description: 'Review [iManage ACTIVE!12.3]' }),
    );
    expect(lookalikeKey({ ...base, durationSeconds: 60 })).not.toBe(lookalikeKey(base));
    expect(duplicateRanks([base, { ...base, userId: '7' }], lookalikeKey)).toEqual([0, 1]);
  });

  test('when an entry names an iManage document, then the Clio note says which', () => {
    expect(clioNote({ ...base, documentId: 'ACTIVE!12.3' })).toBe('Review [iManage ACTIVE!12.3]');
    expect(clioNote(base)).toBe('Review');
  });

  test.each([
    ['an impossible date', { ...base, date: '2026-02-30' }, 'entries.0.date'],
    ['a zero duration', { ...base, durationSeconds: 0 }, 'entries.0.durationSeconds'],
    ['a fractional duration', { ...base, durationSeconds: 1.5 }, 'entries.0.durationSeconds'],
    ['an unknown field', { ...base, billable: true }, 'entries.0'],
    ['a non-numeric matter id', { ...base, matterId: 'abc' }, 'entries.0.matterId'],
    ['a bad task code', { ...base, taskCode: 'X1' }, 'entries.0.taskCode'],
  ])('when an entry has %s, then it is refused at that field', (_name, bad, path) => {
    const result = TimeEntriesRequestSchema.safeParse({ entries: [bad] });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path.join('.')).toBe(path);
  });

  test('when a request holds 0 or 501 entries, then it is refused', () => {
    expect(TimeEntriesRequestSchema.safeParse({ entries: [] }).success).toBe(false);
    expect(
      TimeEntriesRequestSchema.safeParse({ entries: Array.from({ length: 501 }, () => base) }).success,
    ).toBe(false);
    expect(
      TimeEntriesRequestSchema.safeParse({ entries: Array.from({ length: 500 }, () => base) }).success,
    ).toBe(true);
  });
});
