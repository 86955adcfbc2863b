import {
  auditIdempotencyKey,
  canonicalJson,
  hashData,
  isWithinRetention,
  retentionCutoff,
} from '../../src/audit';

describe('retention rule', () => {
  const now = new Date('2026-03-15T12:00:00.000Z');

  it('when the default applies, then the cutoff is seven calendar years back', () => {
    expect(retentionCutoff(now).toISOString()).toBe('2019-03-15T12:00:00.000Z');
    expect(retentionCutoff(now, 10).toISOString()).toBe('2016-03-15T12:00:00.000Z');
  });

  it('when now is 29 February, then the cutoff falls back to the 28th (keeping more, never less)', () => {
    expect(retentionCutoff(new Date('2028-02-29T08:00:00.000Z'), 7).toISOString()).toBe(
      '2021-02-28T08:00:00.000Z',
    );
  });

  it('when a record is exactly at the cutoff or newer, then it is kept; one millisecond older, then it may go', () => {
    expect(isWithinRetention('2019-03-15T12:00:00.000Z', now)).toBe(true);
    expect(isWithinRetention('2025-01-01T00:00:00.000Z', now)).toBe(true);
    expect(isWithinRetention('2019-03-15T11:59:59.999Z', now)).toBe(false);
    expect(isWithinRetention(new Date('2030-01-01T00:00:00.000Z'), now)).toBe(true);
  });

  it('when a record time is unreadable, then it is kept', () => {
    expect(isWithinRetention('not a date', now)).toBe(true);
  });

  it('when the retention is not a positive whole number of years, then it is refused', () => {
    expect(() => retentionCutoff(now, 0)).toThrow();
    expect(() => retentionCutoff(now, 2.5)).toThrow();
  });
});

describe('canonical JSON and data hashes', () => {
  it('when keys come in another order, then the bytes and the hash are the same', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[1,{"x":1,"y":2}]},"b":1}',
    );
    expect(hashData({ a: 1, b: 2 })).toBe(hashData({ b: 2, a: 1 }));
    expect(hashData({ a: 1, b: undefined })).toBe(hashData({ a: 1 }));
    expect(hashData({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('when a value cannot be represented, then it is refused rather than hashed loosely', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow();
    expect(() => canonicalJson({ a: () => 1 })).toThrow();
  });
});

describe('audit idempotency key', () => {
  it('when built from a workflow id and step, then it is stable and refuses empty parts', () => {
    expect(auditIdempotencyKey('timeCapture-sandbox-abc', 'entry-1.created')).toBe(
      'timeCapture-sandbox-abc:entry-1.created',
    );
    expect(() => auditIdempotencyKey('', 'x')).toThrow();
  });
});
