import { gcmDecrypt, gcmEncrypt, TAG_BYTES } from '../crypto/aes-gcm';

const VERSION = 'v1';

/**
 * AES-256-GCM (crypto/aes-gcm) for small secrets at rest (session cookies, CSRF tokens, MFA codes). The associated data binds a
 * sealed value to where it is stored (tenant + generation, or code reference), so a row copied onto another
 * tenant's does not open.
 */
export class Sealer {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('the session encryption key must be 32 bytes');
    this.key = Buffer.from(key);
  }

  seal(plaintext: string, associatedData: string): string {
    const { iv, ciphertext, tag } = gcmEncrypt(this.key, plaintext, associatedData);
    // Stored as iv . (ciphertext | tag), base64.
    return [VERSION, iv.toString('base64'), Buffer.concat([ciphertext, tag]).toString('base64')].join('.');
  }

  open(sealed: string, associatedData: string): string {
    const [version, iv, data] = sealed.split('.');
    if (version !== VERSION || !iv || !data) throw new Error('sealed value has an unknown format');
    const bytes = Buffer.from(data, 'base64');
    if (bytes.length < TAG_BYTES) throw new Error('sealed value is truncated');
    const parts = {
      iv: Buffer.from(iv, 'base64'),
      ciphertext: bytes.subarray(0, bytes.length - TAG_BYTES),
      tag: bytes.subarray(bytes.length - TAG_BYTES),
    };
    return gcmDecrypt(this.key, parts, associatedData).toString('utf8');
  }
}

/** The key as configured: 32 bytes written as base64 (44 characters) or hex (64 characters). */
export function parseSessionKey(text: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error('must be 32 bytes as base64 or hex');
  return key;
}
