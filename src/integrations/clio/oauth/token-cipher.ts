import { createHash } from 'node:crypto';
import { gcmDecrypt, gcmEncrypt } from '../../../crypto/aes-gcm';

const VERSION = 'v1';

/**
 * AES-256-GCM (crypto/aes-gcm) for tokens at rest. Each value gets a fresh 96-bit IV; the context (tenant and column) is
 * authenticated as AAD, so a ciphertext copied into another tenant's row, or from the refresh column into
 * the access column, fails to decrypt instead of being used. The key id (a hash prefix of the key) is
 * stored with each value so a rotated key is recognised as such rather than as tampering.
 */
export class TokenCipher {
  readonly keyId: string;
  constructor(private readonly key: Buffer) {
    if (key.length !== 32)
      throw new Error('The token encryption key must be 32 bytes (base64 of 32 random bytes)');
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 8);
  }

  /** From config's TOKEN_ENCRYPTION_KEY (base64). */
  static fromBase64(base64Key: string): TokenCipher {
    return new TokenCipher(Buffer.from(base64Key, 'base64'));
  }

  encrypt(plaintext: string, context: string): string {
    const { iv, ciphertext, tag } = gcmEncrypt(this.key, plaintext, context);
    return [
      VERSION,
      this.keyId,
      iv.toString('base64url'),
      tag.toString('base64url'),
      ciphertext.toString('base64url'),
    ].join(':');
  }

  decrypt(sealed: string, context: string): string {
    const [version, keyId, iv, tag, data] = sealed.split(':');
    if (version !== VERSION || !iv || !tag || data === undefined) throw new Error('Not a sealed token value');
    if (keyId !== this.keyId)
      throw new Error(`Token sealed with another key (${keyId ?? '?'}); re-authorize the tenant`);
    const parts = {
      iv: Buffer.from(iv, 'base64url'),
      tag: Buffer.from(tag, 'base64url'),
      ciphertext: Buffer.from(data, 'base64url'),
    };
    // A wrong key, context or any altered byte throws here (GCM authentication).
    return gcmDecrypt(this.key, parts, context).toString('utf8');
  }
}
