import { createHmac, timingSafeEqual } from 'node:crypto';
import stableStringify from 'fast-json-stable-stringify';
import { AppError } from './errors';

/**
 * Opaque list cursors: Clio's page token, bound to the list and filters it came from and signed, so a client can
 * neither forge one nor reuse one with other filters (and Clio's own URLs never leak out).
 */
export function createCursorCodec(secret: Buffer) {
  const mac = (text: string) => createHmac('sha256', secret).update(text).digest();
  const bind = (list: string, filters: Record<string, unknown>) => stableStringify({ list, filters });
  return {
    encode(list: string, filters: Record<string, unknown>, pageToken: string): string {
      const body = Buffer.from(pageToken).toString('base64url');
      const sig = mac(`${bind(list, filters)}\n${body}`)
        .subarray(0, 16)
        .toString('base64url');
      return `${body}.${sig}`;
    },
    decode(list: string, filters: Record<string, unknown>, cursor: string): string {
      const [body, sig] = cursor.split('.');
      const expected = body ? mac(`${bind(list, filters)}\n${body}`).subarray(0, 16) : undefined;
      const given = sig ? Buffer.from(sig, 'base64url') : undefined;
      if (
        !body ||
        !expected ||
        !given ||
        given.length !== expected.length ||
        !timingSafeEqual(given, expected)
      ) {
        throw new AppError(
          400,
          'invalid_request',
          'Invalid request: query.cursor is not a cursor this list gave out',
          {
            fields: [
              { field: 'query.cursor', reason: 'is not a cursor this list gave out with these filters' },
            ],
          },
        );
      }
      return Buffer.from(body, 'base64url').toString();
    },
  };
}

export type CursorCodec = ReturnType<typeof createCursorCodec>;
