import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM, the one cipher of the service (payloads in Temporal, tokens, session cookies, webhook secrets).
 * Each caller keeps its own storage format; the choices that matter for safety live here once: a fresh 96-bit IV
 * per message, associated data bound to where the value belongs, and a full 16-byte tag demanded on opening (Node
 * would otherwise accept a 4-byte tag, which a forger could guess).
 */
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

export interface Sealed {
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

export function gcmEncrypt(key: Buffer, plaintext: Uint8Array | string, associatedData: string): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([
    typeof plaintext === 'string' ? cipher.update(plaintext, 'utf8') : cipher.update(plaintext),
    cipher.final(),
  ]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
}

/** Throws when the key, the associated data or any byte is not what was sealed. */
export function gcmDecrypt(key: Buffer, sealed: Sealed, associatedData: string): Buffer {
  if (sealed.iv.length !== IV_BYTES) throw new Error('sealed value has a malformed IV');
  if (sealed.tag.length !== TAG_BYTES) throw new Error('sealed value has a malformed authentication tag');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(sealed.tag);
  return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
}
