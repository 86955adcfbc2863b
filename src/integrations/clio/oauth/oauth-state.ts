import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Requester } from '../../../domain/requester';

/**
 * The OAuth `state` parameter: random (so it cannot be guessed) and signed (so the callback knows this
 * service issued it, for which tenant, and until when) without keeping server-side state. A forged or
 * replayed-late callback is refused before its code is exchanged.
 */
export interface OAuthStateOptions {
  /** Signing key: derive it from TOKEN_ENCRYPTION_KEY with `stateKeyFrom`, or pass any 32+ byte secret. */
  key: Buffer;
  /** How long the consent page may take (default 10 minutes, the life of Clio's authorization code). */
  ttlMs?: number;
  now?: () => number;
}

/** Which key asked for the consent link, and its role, for the audit record (the person is looked up by key). */
export type OAuthRequester = Pick<Requester, 'apiKeyId' | 'role'>;

interface Payload {
  t: string;
  n: string;
  e: number;
  /** The requester; absent from states issued before it was recorded (and from tests that need none). */
  r?: OAuthRequester;
}

/** A signing key for states, separate from the encryption key it is derived from (HKDF). */
export function stateKeyFrom(encryptionKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', encryptionKey, Buffer.alloc(0), 'clio-oauth-state', 32));
}

export function createOAuthState(
  tenant: string,
  opts: OAuthStateOptions & { requestedBy?: OAuthRequester },
): string {
  const now = opts.now ?? Date.now;
  const payload: Payload = {
    t: tenant,
    n: randomBytes(16).toString('base64url'),
    e: now() + (opts.ttlMs ?? 600_000),
    ...(opts.requestedBy ? { r: opts.requestedBy } : {}),
  };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${sign(body, opts.key)}`;
}

export class InvalidOAuthStateError extends Error {
  override readonly name = 'InvalidOAuthStateError';
}

/**
 * The tenant the state was issued for, its random nonce, its expiry (epoch ms) and who asked for it; throws
 * InvalidOAuthStateError when forged, altered or expired. Whether it was used before is for the caller to check
 * (OAuthStateLedger).
 */
export function verifyOAuthState(
  state: string,
  opts: OAuthStateOptions & { tenant?: string },
): { tenant: string; nonce: string; expiresAt: number; requestedBy?: OAuthRequester } {
  const now = opts.now ?? Date.now;
  const [body, mac] = state.split('.');
  if (!body || !mac) throw new InvalidOAuthStateError('The OAuth state is malformed');
  const expected = Buffer.from(sign(body, opts.key));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new InvalidOAuthStateError('The OAuth state was not issued by this service');
  }
  const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
  if (payload.e < now()) throw new InvalidOAuthStateError('The OAuth state has expired; start again');
  if (opts.tenant !== undefined && payload.t !== opts.tenant) {
    throw new InvalidOAuthStateError('The OAuth state belongs to another tenant');
  }
  return {
    tenant: payload.t,
    nonce: payload.n,
    expiresAt: payload.e,
    ...(payload.r ? { requestedBy: payload.r } : {}),
  };
}

function sign(body: string, key: Buffer): string {
  return createHmac('sha256', key).update(body).digest('base64url');
}
