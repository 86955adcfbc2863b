import { tokenCache } from '../../src/integrations/token-cache';

describe('tokenCache: one access token kept, obtained single-flight', () => {
  function setup() {
    let clock = 1_000_000;
    let obtained = 0;
    let fail = false;
    const cache = tokenCache({
      obtain: async () => {
        obtained++;
        await new Promise((r) => setTimeout(r, 5));
        if (fail) throw new Error('token endpoint down');
        return { token: `t${obtained}`, expiresAt: clock + 60_000 };
      },
      earlyMs: 10_000,
      now: () => clock,
    });
    return {
      cache,
      obtained: () => obtained,
      advance: (ms: number) => (clock += ms),
      failNext: (v: boolean) => (fail = v),
    };
  }

  test('when many callers ask at once, then one token is obtained and all get it', async () => {
    const t = setup();
    const tokens = await Promise.all(Array.from({ length: 20 }, () => t.cache.get()));
    expect(new Set(tokens)).toEqual(new Set(['t1']));
    expect(t.obtained()).toBe(1);
    expect(await t.cache.get()).toBe('t1');
    expect(t.obtained()).toBe(1);
  });

  test('when the token is within earlyMs of expiring, then a new one is obtained first', async () => {
    const t = setup();
    await t.cache.get();
    t.advance(49_999);
    expect(await t.cache.get()).toBe('t1');
    t.advance(2);
    expect(await t.cache.get()).toBe('t2');
  });

  test('when tokens live no longer than earlyMs (one-minute iManage tokens), then each is still used for half its life', async () => {
    let clock = 0;
    let obtained = 0;
    const cache = tokenCache({
      obtain: () => Promise.resolve({ token: `t${++obtained}`, expiresAt: clock + 60_000 }),
      earlyMs: 60_000,
      now: () => clock,
    });
    for (let i = 0; i < 10; i++) expect(await cache.get()).toBe('t1');
    clock += 29_000;
    expect(await cache.get()).toBe('t1');
    clock += 2_000; // past half of its life
    expect(await cache.get()).toBe('t2');
    expect(obtained).toBe(2);
  });

  test('when a token is refused, then only that token is dropped', async () => {
    const t = setup();
    await t.cache.get();
    t.cache.drop('some-older-token');
    expect(await t.cache.get()).toBe('t1');
    t.cache.drop('t1');
    expect(await t.cache.get()).toBe('t2');
  });

  test('when obtaining fails, then every waiting caller sees the failure and the next call tries again', async () => {
    const t = setup();
    t.failNext(true);
    const results = await Promise.allSettled([t.cache.get(), t.cache.get()]);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(t.obtained()).toBe(1);
    t.failNext(false);
    expect(await t.cache.get()).toBe('t2');
  });
});
