import { hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { type ApiKeyResolver, type Principal } from './principal';

type Resolve = (key: string) => Promise<Principal | undefined>;

/**
 * Keys that resolved, kept for `ttlMs`, so a busy integration's reads cost no store lookup each. The price is
 * stated in the README: a revoked key is refused once its entry expires (at most `ttlMs` later). Only hits are
 * kept (a new key works at once; guessing fills nothing), and under the key's hash, never the key itself. A hit
 * answers at once, without a promise: a read pays no extra turn for a key it presented a moment ago.
 */
export function cachedApiKeyResolver(resolve: Resolve, ttlMs: number, max = 10_000): ApiKeyResolver {
  if (ttlMs <= 0) return resolve;
  // ttlResolution 0: read the clock on each lookup rather than arm a timer to forget a cached clock reading,
  // which at one read every few milliseconds meant a timer per request.
  const cache = new LRUCache<string, Principal>({ max, ttl: ttlMs, ttlResolution: 0 });
  return (key) => {
    const id = hash('sha256', key, 'base64url');
    const hit = cache.get(id);
    if (hit) return hit;
    return resolve(key).then((principal) => {
      if (principal) cache.set(id, principal);
      return principal;
    });
  };
}
