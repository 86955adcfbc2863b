import { livePollers, POLLER_FRESH_MS } from '../../src/api/readiness';

describe('readiness counts only pollers that polled recently', () => {
  const now = Date.parse('2026-11-26T12:00:00Z');
  // Temporal's client gives seconds as a Long; /readyz against a real server (time-capture integration) covers that.
  const at = (ms: number) => ({ lastAccessTime: { seconds: Math.floor(ms / 1000), nanos: 0 } });

  test('a worker that polled a moment ago counts; one Temporal still lists minutes after it stopped does not', () => {
    expect(livePollers([at(now - 5_000)], now)).toBe(1);
    expect(livePollers([at(now - 4 * 60_000)], now)).toBe(0);
    expect(livePollers([at(now - 5_000), at(now - POLLER_FRESH_MS - 1_000)], now)).toBe(1);
  });

  test('no pollers, or one without a time, is not a live worker', () => {
    expect(livePollers(undefined, now)).toBe(0);
    expect(livePollers([], now)).toBe(0);
    expect(livePollers([{ lastAccessTime: null }], now)).toBe(0);
  });
});
