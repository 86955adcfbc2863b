import { hash } from 'node:crypto';
import { type IncomingMessage } from 'node:http';
import { type RequestHandler } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { LRUCache } from 'lru-cache';
import { type ApiKeyResolver, type Principal } from '../auth/principal';
import { AppError } from '../errors';

/**
 * The key of `Authorization: Bearer <key>` (the scheme in any case, any spaces around the key), undefined without
 * one; throws a 400 when the header is sent more than once. Node keeps the first of several Authorization headers and
 * drops the others unseen; a proxy in front may read another one, so which of them is "the" key is not guessed.
 */
export function presentedApiKey(req: Pick<IncomingMessage, 'headers' | 'rawHeaders'>): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  let seen = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]!.length === 13 && req.rawHeaders[i]!.toLowerCase() === 'authorization') seen++;
  }
  if (seen > 1) {
    throw new AppError(
      400,
      'invalid_request',
      'Invalid request: header.authorization is sent more than once',
      {
        fields: [{ field: 'header.authorization', reason: 'is sent more than once' }],
      },
    );
  }
  return /^Bearer\s+(\S+)$/i.exec(header)?.[1];
}

/** Requests without a valid API key one client address may make in a minute; then 429 until the minute is over. */
export const AUTH_FAILURES_PER_MINUTE = 60;
const FAILURE_WINDOW_MS = 60_000;
/** How long a key that authenticated is still let through while its address is held back. */
const KNOWN_KEY_MS = 24 * 3_600_000;

export interface AuthenticateOptions {
  /** Requests without a valid key (none, malformed, unknown, revoked) an address may make a minute. */
  failuresPerMinute?: number;
  /** Client addresses, and keys that authenticated, remembered at once (least recently seen forgotten first). */
  maxEntries?: number;
  now?: () => number;
}

/**
 * `Authorization: Bearer <api key>` → the calling principal, or 401.
 *
 * The per-key rate limit comes after this and counts only requests that authenticated, so what holds back a
 * flood of keys that are not valid is here: each such key costs a store lookup (misses are never cached, or
 * guessing would fill the cache). A client address (an IPv6 /56 counts as one) gets `AUTH_FAILURES_PER_MINUTE`
 * refusals a minute; after that, until its minute is over, its requests are answered 429 with Retry-After and
 * their keys are not looked up, but for keys that authenticated in the last day (remembered by hash, and
 * forgotten at their first refusal, so a revoked one loses the pass). Behind a proxy that is not on loopback, or
 * Docker's published port, every client has the proxy's address: a flood then holds back new keys for everyone,
 * while the keys in use keep working.
 */
export function authenticate(resolve: ApiKeyResolver, opts: AuthenticateOptions = {}): RequestHandler {
  const maxEntries = opts.maxEntries ?? 10_000;
  const now = opts.now ?? Date.now;
  const refusals = refusalCounter(opts.failuresPerMinute ?? AUTH_FAILURES_PER_MINUTE, maxEntries, now);
  const knownKeys = new LRUCache<string, true>({ max: maxEntries, ttl: KNOWN_KEY_MS, ttlResolution: 0 });
  const fingerprint = (key: string) => hash('sha256', key, 'base64url');

  return (req, _res, next) => {
    const address = ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown', 56);
    let key: string | undefined;
    let malformed: unknown;
    try {
      key = presentedApiKey(req);
    } catch (err) {
      malformed = err;
    }
    const waitSeconds = refusals.blockedFor(address);
    if (waitSeconds > 0 && (key === undefined || !knownKeys.has(fingerprint(key)))) {
      next(
        new AppError(
          429,
          'rate_limited',
          'Too many requests without a valid API key from this address; retry after the Retry-After seconds',
          undefined,
          { 'retry-after': String(waitSeconds) },
        ),
      );
      return;
    }
    const refuse = (err: unknown) => {
      refusals.count(address);
      if (key !== undefined) knownKeys.delete(fingerprint(key));
      next(err);
    };
    if (malformed !== undefined) {
      refuse(malformed);
      return;
    }
    if (!key) {
      refuse(
        new AppError(401, 'unauthenticated', 'Send an API key as Authorization: Bearer <key>', undefined, {
          'www-authenticate': 'Bearer',
        }),
      );
      return;
    }
    const presented = key;
    const admit = (principal: Principal | undefined) => {
      if (!principal) {
        refuse(
          new AppError(401, 'unauthenticated', 'The API key is not valid', undefined, {
            'www-authenticate': 'Bearer',
          }),
        );
        return;
      }
      const id = fingerprint(presented);
      if (!knownKeys.has(id)) knownKeys.set(id, true);
      req.principal = principal;
      next();
    };
    let resolved: ReturnType<ApiKeyResolver>;
    try {
      resolved = resolve(presented);
    } catch (err) {
      next(err);
      return;
    }
    if (isPromiseLike(resolved)) resolved.then(admit, (err: unknown) => next(err));
    else admit(resolved);
  };
}

/** Refusals per address in fixed one-minute windows, for a bounded number of addresses. */
function refusalCounter(limit: number, maxAddresses: number, now: () => number) {
  const windows = new LRUCache<string, { count: number; endsAt: number }>({ max: maxAddresses });
  return {
    /** Seconds until the address may try again, or 0 when it may now. */
    blockedFor(address: string): number {
      const w = windows.get(address);
      if (!w || w.count < limit) return 0;
      const left = w.endsAt - now();
      return left > 0 ? Math.ceil(left / 1000) : 0;
    },
    count(address: string): void {
      const t = now();
      const w = windows.get(address);
      if (w && w.endsAt > t) w.count++;
      else windows.set(address, { count: 1, endsAt: t + FAILURE_WINDOW_MS });
    },
  };
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

export function principalOf(req: { principal?: Principal }): Principal {
  if (!req.principal) throw new AppError(401, 'unauthenticated', 'Not authenticated');
  return req.principal;
}
