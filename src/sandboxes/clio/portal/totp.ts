import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Base32Plugin, CryptoPlugin } from '@otplib/core';
import { generate, verify } from '@otplib/totp';

/**
 * otplib v13's TOTP with Node's own crypto and a small RFC 4648 base32 decoder. The `otplib` barrel's
 * default plugins pull in ESM-only packages (@scure/base, @noble/hashes) that jest's CommonJS runtime
 * cannot load on Node 20; the algorithm is the same package (@otplib/totp), so codes are identical.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

const base32: Base32Plugin = {
  name: 'rfc4648',
  encode(data) {
    let bits = 0;
    let value = 0;
    let out = '';
    for (const byte of data) {
      value = (value << 8) | byte;
      bits += 8;
      while (bits >= 5) {
        out += ALPHABET[(value >>> (bits - 5)) & 31];
        bits -= 5;
      }
    }
    return bits > 0 ? out + ALPHABET[(value << (5 - bits)) & 31] : out;
  },
  decode(str) {
    const clean = str.toUpperCase().replace(/[\s=]/g, '');
    const out: number[] = [];
    let bits = 0;
    let value = 0;
    for (const ch of clean) {
      const idx = ALPHABET.indexOf(ch);
      if (idx < 0) throw new Error('invalid base32 character');
      value = (value << 5) | idx;
      bits += 5;
      if (bits >= 8) {
        out.push((value >>> (bits - 8)) & 255);
        bits -= 8;
      }
    }
    return Uint8Array.from(out);
  },
};

const crypto: CryptoPlugin = {
  name: 'node',
  hmac: (algorithm, key, data) => new Uint8Array(createHmac(algorithm, key).update(data).digest()),
  randomBytes: (length) => new Uint8Array(randomBytes(length)),
  constantTimeEqual: (a, b) => {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
  },
};

/** One 30 s step of drift either way is accepted (a phone clock a little off still works). */
/**
 * The 30 s step a code belongs to when it is valid now (one step of drift either way), else undefined. A code of
 * a step at or before `afterTimeStep` is refused: each code signs in once (RFC 6238 §5.2).
 */
export async function totpStep(
  secret: string,
  token: string,
  epochSeconds: number,
  afterTimeStep?: number,
): Promise<number | undefined> {
  const result = await verify({
    secret,
    token,
    epoch: epochSeconds,
    epochTolerance: 30,
    crypto,
    base32,
    ...(afterTimeStep !== undefined ? { afterTimeStep } : {}),
  });
  return result.valid ? result.timeStep : undefined;
}

export async function totpValid(secret: string, token: string, epochSeconds: number): Promise<boolean> {
  return (await totpStep(secret, token, epochSeconds)) !== undefined;
}

/** The current code, for tests and the sandbox README's examples. */
export const totpCode = (secret: string, epochSeconds = Math.floor(Date.now() / 1000)): Promise<string> =>
  generate({ secret, epoch: epochSeconds, crypto, base32 });
