import { ClioApiError } from '../../src/integrations/clio/errors';
import { RateBudget, type RatePermit } from '../../src/integrations/clio/rate-budget';

/** The bucket's rules on a fake clock: what the server says wins, windows refill, 429s close the bucket. */
beforeEach(() => {
  jest.useFakeTimers({ now: Date.UTC(2026, 0, 5, 12, 0, 0) });
});
afterEach(() => {
  jest.useRealTimers();
});

const view = (limit: number, remaining: number, resetInMs: number) => ({
  limit,
  remaining,
  resetAt: Date.now() + resetInMs,
});

/** How many of these acquisitions have resolved so far. */
function track(p: Promise<RatePermit>[]): () => Promise<number> {
  let done = 0;
  for (const x of p) void x.then(() => done++);
  return async () => {
    await Promise.resolve();
    await Promise.resolve();
    return done;
  };
}

describe('RateBudget', () => {
  it('when the limit is unknown, then one request probes and the rest wait for its answer', async () => {
    const b = new RateBudget({ marginMs: 0 });
    const first = await b.acquire();
    const resolved = track([b.acquire(), b.acquire()]);
    expect(await resolved()).toBe(0);
    first.release(view(10, 9, 60_000));
    expect(await resolved()).toBe(2);
  });

  it('when the window is spent, then the next request waits for the reset the server announced', async () => {
    const b = new RateBudget({ marginMs: 100 });
    (await b.acquire()).release(view(3, 2, 30_000));
    const [p1, p2] = [await b.acquire(), await b.acquire()];
    const waiting = track([b.acquire()]);
    p1.release(view(3, 1, 30_000));
    p2.release(view(3, 0, 30_000));
    expect(await waiting()).toBe(0);
    await jest.advanceTimersByTimeAsync(29_000);
    expect(await waiting()).toBe(0);
    await jest.advanceTimersByTimeAsync(1_200);
    expect(await waiting()).toBe(1);
  });

  it('when the server says less remains than we counted, then the server wins', async () => {
    const b = new RateBudget({ marginMs: 0 });
    (await b.acquire()).release(view(100, 99, 60_000));
    // Another process spent the rest of the window on the same token.
    (await b.acquire()).release(view(100, 0, 60_000));
    const waiting = track([b.acquire()]);
    await jest.advanceTimersByTimeAsync(59_000);
    expect(await waiting()).toBe(0);
    await jest.advanceTimersByTimeAsync(1_001);
    expect(await waiting()).toBe(1);
  });

  it('when an answer from an older window arrives late, then it does not refill the bucket', async () => {
    const b = new RateBudget({ marginMs: 0 });
    const slow = await b.acquire();
    slow.release(view(2, 1, 10_000));
    const p = await b.acquire();
    p.release({ limit: 2, remaining: 1, resetAt: Date.now() - 50_000 });
    expect(b.snapshot().remaining).toBe(0);
  });

  it('when a 429 says Retry-After, then nothing goes before it', async () => {
    const b = new RateBudget({ marginMs: 0 });
    (await b.acquire()).release(view(10, 9, 60_000));
    (await b.acquire()).release(view(10, 0, 60_000), 5_000);
    const waiting = track([b.acquire()]);
    await jest.advanceTimersByTimeAsync(4_900);
    expect(await waiting()).toBe(0);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(await waiting()).toBe(1);
  });

  it('when the wait would exceed maxWaitMs, then a retryable RateBudgetExhausted error says how long', async () => {
    const b = new RateBudget({ marginMs: 0, maxWaitMs: 1_000 });
    (await b.acquire()).release(view(1, 0, 30_000));
    const err = (await b.acquire().catch((e: unknown) => e)) as ClioApiError;
    expect(err).toBeInstanceOf(ClioApiError);
    expect(err).toMatchObject({ type: 'RateBudgetExhausted', retryable: true });
    expect(err.retryAfterMs).toBeGreaterThan(29_000);
  });

  it('when the server sends no rate headers, then the fallback limit applies per window', async () => {
    const b = new RateBudget({ marginMs: 0, fallbackLimit: 2 });
    (await b.acquire()).release(undefined);
    await b.acquire();
    const waiting = track([b.acquire()]);
    expect(await waiting()).toBe(0);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(await waiting()).toBe(1);
  });
});
