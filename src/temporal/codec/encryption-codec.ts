import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { type Keyring } from './keyring';
import { gcmDecrypt, gcmEncrypt, IV_BYTES, TAG_BYTES } from '../../crypto/aes-gcm';

export const ENCODING = 'binary/encrypted';
export const METADATA_ENCRYPTION_KEY_ID = 'encryption-key-id';

const encode = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));
const decode = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

export class PayloadDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadDecryptionError';
  }
}

/**
 * AES-256-GCM over the whole serialized payload (metadata included, so even the original encoding is hidden).
 * Ciphertext layout: iv(12) | ciphertext | tag(16). The key id is authenticated as additional data, so a
 * payload cannot be passed off as encrypted under another key. Keys live only in this closure, not on the
 * returned object, so logging or inspecting the codec cannot print them.
 */
export function createEncryptionCodec(keyring: Keyring): PayloadCodec {
  const keys = new Map([...keyring.keys].map(([id, key]) => [id, Buffer.from(key)]));
  const primaryKey = keys.get(keyring.primaryKeyId);
  if (!primaryKey) throw new Error(`primary key id ${keyring.primaryKeyId} is not among the keys`);
  for (const [id, key] of keys) if (key.length !== 32) throw new Error(`key ${id} is not 32 bytes`);
  const primaryId = keyring.primaryKeyId;

  const encryptOne = (payload: Payload): Payload => {
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const { iv, ciphertext, tag } = gcmEncrypt(primaryKey, plain, primaryId);
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: encode(ENCODING),
        [METADATA_ENCRYPTION_KEY_ID]: encode(primaryId),
      },
      data: new Uint8Array(Buffer.concat([iv, ciphertext, tag])),
    };
  };

  const decryptOne = (payload: Payload): Payload => {
    const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
    // Payloads written before encryption was enabled (or by another codec) pass through untouched.
    if (!encoding || decode(encoding) !== ENCODING) return payload;
    const keyIdBytes = payload.metadata?.[METADATA_ENCRYPTION_KEY_ID];
    if (!keyIdBytes) throw new PayloadDecryptionError('encrypted payload without an encryption key id');
    const keyId = decode(keyIdBytes);
    const key = keys.get(keyId);
    if (!key) throw new PayloadDecryptionError(`no key with id ${keyId} in the keyring`);
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES)
      throw new PayloadDecryptionError('encrypted payload is truncated');
    try {
      const sealed = {
        iv: data.subarray(0, IV_BYTES),
        ciphertext: data.subarray(IV_BYTES, data.length - TAG_BYTES),
        tag: data.subarray(data.length - TAG_BYTES),
      };
      const plain = gcmDecrypt(key, sealed, keyId);
      return temporal.api.common.v1.Payload.decode(plain);
    } catch {
      throw new PayloadDecryptionError(
        `payload under key ${keyId} failed authentication (altered or wrong key)`,
      );
    }
  };

  return {
    // Errors become rejections, never synchronous throws at the call site.
    encode: (payloads) => settle(() => payloads.map(encryptOne)),
    decode: (payloads) => settle(() => payloads.map(decryptOne)),
  };
}

function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
