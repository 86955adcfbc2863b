import { z } from 'zod';
import { AppError } from '../../src/api/errors';
import { parseOrThrow } from '../../src/api/validation';

const Entries = z.object({
  entries: z.array(z.object({ durationSeconds: z.number().int(), description: z.string() }).strict()),
});

function problems(value: unknown): { field: string; reason: string }[] {
  try {
    parseOrThrow(Entries, value);
  } catch (err) {
    if (err instanceof AppError)
      return (err.details as { fields: { field: string; reason: string }[] }).fields;
    throw err;
  }
  throw new Error('expected a 400');
}

describe('400 reasons name what is wrong with each field', () => {
  test('a field that is missing "is required"; one of the wrong type says what type was expected', () => {
    const fields = problems({
      entries: [{ durationSeconds: '60' }, { durationSeconds: null, description: 'x' }],
    });
    expect(fields).toContainEqual({ field: 'body.entries.0.description', reason: 'is required' });
    const wrongType = fields.find((f) => f.field === 'body.entries.0.durationSeconds');
    expect(wrongType?.reason).not.toBe('is required');
    expect(wrongType?.reason).toMatch(/expected number/);
    // null was sent: present, of the wrong type.
    expect(fields.find((f) => f.field === 'body.entries.1.durationSeconds')?.reason).toMatch(
      /expected number/,
    );
  });

  test('a missing list is required; unknown fields are named', () => {
    expect(problems({})).toEqual([{ field: 'body.entries', reason: 'is required' }]);
    expect(problems({ entries: [{ durationSeconds: 1, description: 'x', extra: 1 }] })).toEqual([
      { field: 'body.entries.0.extra', reason: 'is not a known field' },
    ]);
  });
});
