import { hash } from 'node:crypto';
import { type IncomingMessage } from 'node:http';
import { ipKeyGenerator } from 'express-rate-limit';
import { LRUCache } from 'lru-cache';
import { AppError } from '../errors';

/** Requests without a valid API key one client address may make in a minute; then 429 until the minute is over. */
export const AUTH_FAILURES_PER_MINUTE = 60;
const FAILURE_WINDOW_MS = 60_000;
/** How long a key that was accepted is still let through while its address is held back. */
const KNOWN_KEY_MS = 24 * 3_600_000;

export interface RefusalGuardOptions {
  /** Requests without a valid key (none, malformed, unknown, revoked) an address may make a minute. */
  failuresPerMinute?: number;
  /** Client addresses, and keys that were accepted, remembered at once (least recently seen forgotten first). */
  maxEntries?: number;
  now?: () => number;
}

/**
 * Holds back a client address that keeps presenting keys that are not valid, before their keys are looked up.
 * An address (an IPv6 /56 counts as one) gets `AUTH_FAILURES_PER_MINUTE` refusals a minute; after that, until
 * its minute is over, `heldBack` answers a 429 with Retry-After, but not for keys accepted in the last day
 * (remembered by hash, forgotten at their first refusal, so a revoked one loses the pass). Each instance counts
 * on its own; the server shares one between `/v1` and the payload codec, so a guesser cannot double its tries by
 * alternating between them.
 */
export interface RefusalGuard {
  /** The 429 to answer when `address` is held back and `key` has no pass; undefined when the key may be looked at. */
  heldBack(address: string, key: string | undefined): AppError | undefined;
  /** A request from `address` was refused: it counts, and `key` (if one was presented) loses its pass. */
  refused(address: string, key: string | undefined): void;
  /** `key` was accepted: it passes while an address it comes from is held back, for a day. */
  admitted(key: string): void;
}

/** The address a request's refusals count under: `req.ip` (which trusts a proxy on loopback), an IPv6 /56 as one. */
export function clientAddress(req: {
  ip?: string | undefined;
  socket: Pick<IncomingMessage['socket'], 'remoteAddress'>;
}) {
  return ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown', 56);
}

export function refusalGuard(opts: RefusalGuardOptions = {}): RefusalGuard {
  const maxEntries = opts.maxEntries ?? 10_000;
  const now = opts.now ?? Date.now;
  const refusals = refusalCounter(opts.failuresPerMinute ?? AUTH_FAILURES_PER_MINUTE, maxEntries, now);
  const knownKeys = new LRUCache<string, true>({ max: maxEntries, ttl: KNOWN_KEY_MS, ttlResolution: 0 });
  const fingerprint = (key: string) => hash('sha256', key, 'base64url');
  return {
    heldBack(address, key) {
      const waitSeconds = refusals.blockedFor(address);
      if (waitSeconds === 0 || (key !== undefined && knownKeys.has(fingerprint(key)))) return undefined;
      return new AppError(
        429,
        'rate_limited',
        'Too many requests without a valid API key from this address; retry after the Retry-After seconds',
        undefined,
        { 'retry-after': String(waitSeconds) },
      );
    },
    refused(address, key) {
      refusals.count(address);
      if (key !== undefined) knownKeys.delete(fingerprint(key));
    },
    admitted(key) {
      const id = fingerprint(key);
      if (!knownKeys.has(id)) knownKeys.set(id, true);
    },
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
