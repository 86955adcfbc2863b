/**
 * Small conversions that hide dialect differences in what the drivers hand back: better-sqlite3 returns
 * dates as the epoch milliseconds knex bound, pg returns Date objects; counts come back as strings from pg.
 */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  if (typeof value === 'string') return /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
  throw new TypeError(`not a date value: ${typeof value}`);
}

export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' || typeof value === 'bigint') return Number(value);
  throw new TypeError(`not a numeric value: ${typeof value}`);
}

export function toOptionalString(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return value.toString();
  throw new TypeError(`not a string value: ${typeof value}`);
}
