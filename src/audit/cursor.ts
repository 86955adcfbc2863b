import { z } from 'zod';

export class InvalidCursorError extends Error {
  constructor() {
    super('invalid or foreign cursor');
    this.name = 'InvalidCursorError';
  }
}

const payloadSchema = z.object({ v: z.literal(1), t: z.string(), s: z.number().int().positive() });

/**
 * Opaque to callers (base64url JSON): the tenant it belongs to and the last seq returned. Tying it to the
 * tenant stops a cursor from one tenant being replayed against another.
 */
export function encodeCursor(tenant: string, seq: number): string {
  return Buffer.from(JSON.stringify({ v: 1, t: tenant, s: seq }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, tenant: string): number {
  try {
    const parsed = payloadSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.t !== tenant) throw new InvalidCursorError();
    return parsed.s;
  } catch {
    throw new InvalidCursorError();
  }
}
