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

  it("when a 429 says retry before the server's window ends, then the caller is told the window's end and no one goes earlier", async () => {
    const b = new RateBudget({ marginMs: 250 });
    (await b.acquire()).release(view(5, 4, 10_800));
    const refused = await b.acquire();
    // Retry-After in whole seconds (10) while X-RateLimit-Reset puts the window's end 10.8 s away.
    const waitMs = refused.release(view(5, 0, 10_800), 10_000);
    expect(waitMs).toBe(11_050);
    const waiting = track([b.acquire()]);
    await jest.advanceTimersByTimeAsync(11_000);
    expect(await waiting()).toBe(0);
    await jest.advanceTimersByTimeAsync(100);
    expect(await waiting()).toBe(1);
  });

  it('when requests remain in the window, then release reports no wait', async () => {
    const b = new RateBudget({ marginMs: 250 });
    expect((await b.acquire()).release(view(5, 4, 60_000))).toBe(0);
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

  it('when requests leave half of the window to others, then they get half of it and wait for the next window, while the others get the rest', async () => {
    const b = new RateBudget({ marginMs: 0 });
    (await b.acquire()).release(view(10, 9, 30_000)); // the window's limit, from the server
    const reads = Array.from({ length: 6 }, () => b.acquire({ leave: 0.5 }));
    const readsDone = track(reads);
    // 9 remain and 5 are kept: 4 reads go, 2 wait.
    expect(await readsDone()).toBe(4);
    const writes = track(Array.from({ length: 5 }, () => b.acquire()));
    // The waiting reads do not hold up what may use the rest of the window.
    expect(await writes()).toBe(5);
    expect(b.snapshot()).toMatchObject({ remaining: 0, waiting: 2 });
    await jest.advanceTimersByTimeAsync(30_001);
    expect(await readsDone()).toBe(6);
  });

  it('when the server says what another process spent, then a request leaving part of the window counts from that', async () => {
    const b = new RateBudget({ marginMs: 0 });
    (await b.acquire({ leave: 0.4 })).release(view(50, 49, 60_000));
    // The workers, in their own process, spent 20 on the same token: the server says 28 remain after this one.
    (await b.acquire({ leave: 0.4 })).release(view(50, 28, 60_000));
    // 28 remain, 20 are kept: 8 more reads go.
    const more = track(Array.from({ length: 9 }, () => b.acquire({ leave: 0.4 })));
    expect(await more()).toBe(8);
  });

  it('when a request leaving part of the window would wait past its own longest wait, then it alone is told when to come back', async () => {
    const b = new RateBudget({ marginMs: 0, maxWaitMs: 60_000 });
    (await b.acquire()).release(view(4, 2, 20_000));
    const err = (await b.acquire({ leave: 0.5, maxWaitMs: 5_000 }).catch((e: unknown) => e)) as ClioApiError;
    expect(err).toMatchObject({ type: 'RateBudgetExhausted', retryable: true });
    expect(err.retryAfterMs).toBeGreaterThan(19_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(20_000);
    // What need not leave anything still goes.
    const write = track([b.acquire(), b.acquire()]);
    expect(await write()).toBe(2);
  });

  it('when the limit is small, then a request leaving part of the window may still use one request of it', async () => {
    const b = new RateBudget({ marginMs: 0 });
    (await b.acquire()).release(view(1, 1, 60_000)); // a new window of one
    const read = track([b.acquire({ leave: 0.9 })]);
    expect(await read()).toBe(1);
  });

  it('when part of the window is left as a binary fraction, then the count kept is exact', async () => {
    const b = new RateBudget({ marginMs: 0 });
    (await b.acquire()).release(view(50, 50, 60_000));
    // 1 - 0.9 is 0.0999… in binary: 5 of 50 must still be kept, so 45 go.
    const reads = track(Array.from({ length: 46 }, () => b.acquire({ leave: 1 - 0.9 })));
    expect(await reads()).toBe(45);
  });
  it('when a 429 pushes the slot back while a request waits, then its longest wait still counts from when it asked', async () => {
    const b = new RateBudget({ marginMs: 0 });
    (await b.acquire()).release(view(4, 1, 4_000));
    const inflight = await b.acquire(); // the window's last request
    let outcome: unknown;
    const read = b.acquire({ maxWaitMs: 5_000 }).then(
      (p) => (outcome = p),
      (e: unknown) => (outcome = e),
    );
    // The window ends in 4 s: within the read's 5 s, so it waits.
    await jest.advanceTimersByTimeAsync(3_500);
    expect(outcome).toBeUndefined();
    // Then the request in flight meets a 429 saying 4 s more: the read would have waited 7.5 s in all.
    inflight.release(view(4, 0, 500), 4_000);
    await jest.advanceTimersByTimeAsync(0);
    expect(outcome).toBeInstanceOf(ClioApiError);
    expect(outcome).toMatchObject({ type: 'RateBudgetExhausted', retryAfterMs: 4_000 });
    await read;
  });

  it('when the first request on a token is still unanswered, then a waiter is told to come back once its longest wait is up', async () => {
    const b = new RateBudget({ marginMs: 0 });
    const probe = await b.acquire();
    const outcome = b.acquire({ maxWaitMs: 5_000 }).then(
      () => 'granted',
      (e: unknown) => e,
    );
    await jest.advanceTimersByTimeAsync(4_900);
    const early = await Promise.race([outcome, Promise.resolve('pending')]);
    expect(early).toBe('pending');
    await jest.advanceTimersByTimeAsync(200);
    const err = (await outcome) as ClioApiError;
    expect(err).toMatchObject({ type: 'RateBudgetExhausted', retryable: true });
    expect(err.retryAfterMs).toBeGreaterThan(0);
    // A waiter without a longest wait still gets the probe's answer.
    const patient = track([b.acquire()]);
    probe.release(view(10, 9, 60_000));
    expect(await patient()).toBe(1);
  });
});
