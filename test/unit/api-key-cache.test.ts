import { cachedApiKeyResolver } from '../../src/api/auth/api-key-cache';
import { type Principal } from '../../src/api/auth/principal';

const alice: Principal = { tenant: 'firm', role: 'attorney', apiKeyId: 'k1', name: 'Alice' };

function countingStore(known: Record<string, Principal>) {
  const lookups: string[] = [];
  return {
    lookups,
    resolve: (key: string) => {
      lookups.push(key);
      return Promise.resolve(known[key]);
    },
  };
}

describe('API key cache', () => {
  it('when a valid key is presented again within the TTL, then the store is not asked again', async () => {
    const store = countingStore({ good: alice });
    const resolve = cachedApiKeyResolver(store.resolve, 60_000);
    expect(await resolve('good')).toEqual(alice);
    expect(await resolve('good')).toEqual(alice);
    expect(store.lookups).toEqual(['good']);
  });

  it('when an unknown key is presented, then every attempt asks the store (misses are never kept)', async () => {
    const store = countingStore({});
    const resolve = cachedApiKeyResolver(store.resolve, 60_000);
    expect(await resolve('guess')).toBeUndefined();
    expect(await resolve('guess')).toBeUndefined();
    expect(store.lookups).toEqual(['guess', 'guess']);
  });

  it('when the TTL has passed, then the store decides again (a revoked key is refused)', async () => {
    const known: Record<string, Principal> = { good: alice };
    const store = countingStore(known);
    const resolve = cachedApiKeyResolver(store.resolve, 50);
    expect(await resolve('good')).toEqual(alice);
    delete known.good;
    await new Promise((r) => setTimeout(r, 80));
    expect(await resolve('good')).toBeUndefined();
  });

  it('when the TTL is 0, then every request asks the store', async () => {
    const store = countingStore({ good: alice });
    const resolve = cachedApiKeyResolver(store.resolve, 0);
    await resolve('good');
    await resolve('good');
    expect(store.lookups).toHaveLength(2);
  });
});
