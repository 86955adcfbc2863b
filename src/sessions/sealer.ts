import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';

/**
 * AES-256-GCM for small secrets at rest (session cookies, CSRF tokens, MFA codes). The associated data binds a
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
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      VERSION,
      iv.toString('base64'),
      Buffer.concat([body, cipher.getAuthTag()]).toString('base64'),
    ].join('.');
  }

  open(sealed: string, associatedData: string): string {
    const [version, iv, data] = sealed.split('.');
    if (version !== VERSION || !iv || !data) throw new Error('sealed value has an unknown format');
    const bytes = Buffer.from(data, 'base64');
    const decipher = createDecipheriv(ALGORITHM, this.key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  }
}

/** The key as configured: 32 bytes written as base64 (44 characters) or hex (64 characters). */
export function parseSessionKey(text: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error('must be 32 bytes as base64 or hex');
  return key;
}
