import { gcmDecrypt, gcmEncrypt } from './aes-gcm';

/**
 * Seals small secrets at rest (webhook secrets, tokens) with AES-256-GCM. The output carries a version, the IV and
 * the auth tag, so a tampered or foreign ciphertext fails to open instead of yielding garbage.
 */
export interface SecretBox {
  seal(plaintext: string, associatedData?: string): string;
  open(sealed: string, associatedData?: string): string;
}

export function parseKey(base64: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new Error('an encryption key must be 32 bytes, base64-encoded');
  return key;
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('an encryption key must be 32 bytes');
  return {
    seal(plaintext, associatedData = '') {
      const { iv, ciphertext, tag } = gcmEncrypt(key, plaintext, associatedData);
      return [
        'v1',
        iv.toString('base64url'),
        tag.toString('base64url'),
        ciphertext.toString('base64url'),
      ].join('.');
    },
    open(sealed, associatedData = '') {
      const [version, iv, tag, data] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('not a sealed secret');
      const parts = {
        iv: Buffer.from(iv, 'base64url'),
        tag: Buffer.from(tag, 'base64url'),
        ciphertext: Buffer.from(data, 'base64url'),
      };
      return gcmDecrypt(key, parts, associatedData).toString('utf8');
    },
  };
}
