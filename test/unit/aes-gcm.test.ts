import { randomBytes } from 'node:crypto';
import { gcmDecrypt, gcmEncrypt } from '../../src/crypto/aes-gcm';
import { createSecretBox } from '../../src/crypto/secret-box';

const key = randomBytes(32);

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return String((err as Error).message);
  }
  return 'opened';
}

describe('AES-256-GCM', () => {
  it('when sealed and opened with the same key and associated data, then the plaintext comes back', () => {
    const sealed = gcmEncrypt(key, 'client secret', 'tenant-a');
    expect(gcmDecrypt(key, sealed, 'tenant-a').toString('utf8')).toBe('client secret');
  });

  it('when the associated data differs (a value copied to another tenant), then it does not open', () => {
    const sealed = gcmEncrypt(key, 'client secret', 'tenant-a');
    expect(refusal(() => gcmDecrypt(key, sealed, 'tenant-b'))).not.toBe('opened');
  });

  it('when the tag is cut to 4 bytes (a guessable forgery), then it is refused before decryption', () => {
    const sealed = gcmEncrypt(key, 'client secret', 'tenant-a');
    const short = { ...sealed, tag: sealed.tag.subarray(0, 4) };
    expect(refusal(() => gcmDecrypt(key, short, 'tenant-a'))).toMatch(/authentication tag/);
  });

  it('when a stored secret has a short tag, then the secret box refuses it too', () => {
    const box = createSecretBox(key);
    const [v, iv, tag, data] = box.seal('whsec').split('.');
    const forged = [v, iv, Buffer.from(tag!, 'base64url').subarray(0, 4).toString('base64url'), data].join(
      '.',
    );
    expect(refusal(() => box.open(forged))).toMatch(/authentication tag/);
    expect(box.open([v, iv, tag, data].join('.'))).toBe('whsec');
  });
});
