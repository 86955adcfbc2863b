import stableStringify from 'fast-json-stable-stringify';
import { gcmDecrypt, gcmEncrypt, IV_BYTES, TAG_BYTES } from '../crypto/aes-gcm';
import { AppError } from './errors';

/**
 * Opaque list cursors: Clio's page token sealed (AES-256-GCM) and bound, as associated data, to the list and
 * filters it came from. A client can neither read Clio's token in it, nor forge one, nor reuse one with other
 * filters or on another tenant's list; Clio's own URLs never leak out.
 */
export function createCursorCodec(key: Buffer) {
  const bind = (list: string, filters: Record<string, unknown>) => stableStringify({ list, filters });
  const refused = () =>
    new AppError(400, 'invalid_request', 'Invalid request: query.cursor is not a cursor this list gave out', {
      fields: [{ field: 'query.cursor', reason: 'is not a cursor this list gave out with these filters' }],
    });
  return {
    encode(list: string, filters: Record<string, unknown>, pageToken: string): string {
      const { iv, tag, ciphertext } = gcmEncrypt(key, pageToken, bind(list, filters));
      return Buffer.concat([iv, tag, ciphertext]).toString('base64url');
    },
    decode(list: string, filters: Record<string, unknown>, cursor: string): string {
      if (!/^[\w-]+$/.test(cursor)) throw refused();
      const raw = Buffer.from(cursor, 'base64url');
      if (raw.length <= IV_BYTES + TAG_BYTES) throw refused();
      try {
        return gcmDecrypt(
          key,
          {
            iv: raw.subarray(0, IV_BYTES),
            tag: raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES),
            ciphertext: raw.subarray(IV_BYTES + TAG_BYTES),
          },
          bind(list, filters),
        ).toString('utf8');
      } catch {
        throw refused();
      }
    },
  };
}

export type CursorCodec = ReturnType<typeof createCursorCodec>;
