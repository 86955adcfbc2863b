import { ClioApiError } from './errors';
import { type HeaderReader } from './transport';

/** What the server told us about the window a request was counted in. */
export interface RateLimitView {
  limit: number;
  remaining: number;
  /** End of the server's window, epoch ms (Clio sends Unix seconds in X-RateLimit-Reset). */
  resetAt: number;
}

export interface RateBudgetOptions {
  /** Requests per window assumed when the server sends no X-RateLimit headers (default 50: Clio's peak). */
  fallbackLimit?: number;
  windowMs?: number;
  /** Wait this long past the server's reset before assuming a new window (clock skew between hosts). */
  marginMs?: number;
  /**
   * A caller that would wait longer than this gets a retryable `RateBudgetExhausted` error with
   * `retryAfterMs` instead (an activity then sleeps in Temporal, not in a worker slot). Default: wait.
   */
  maxWaitMs?: number;
  now?: () => number;
}

export interface RatePermit {
  /**
   * Hands back the slot with what the answer said; `undefined` when no answer came (network error). Returns how
   * long from now until this budget lets a request go again (0: at once; undefined: not known while it probes),
   * so a refused caller is told to come back when the budget, not only the server's Retry-After, allows.
   */
  release(view: RateLimitView | undefined, retryAfterMs?: number): number | undefined;
}

/** How one request draws on the budget. */
export interface AcquireOptions {
  /**
   * The part of each window's limit (0 to 1) this request leaves to others: it waits while no more than that
   * remains. The API's reads leave part of a token's window to the workflows, so polling cannot starve them.
   */
  leave?: number;
  /** This request's longest wait for a slot, counted from the call (default: the budget's `maxWaitMs`). */
  maxWaitMs?: number;
}

interface Waiter {
  resolve: (permit: RatePermit) => void;
  reject: (err: Error) => void;
  leave: number;
  /** The latest time this waiter may be let go (epoch ms, from its arrival and longest wait); undefined: none. */
  deadline: number | undefined;
}

/**
 * The request budget of one Clio access token within this process: a bucket holding the requests left in
 * the server's current window, refilled when that window ends. The server's X-RateLimit answers win over
 * our own count (another process may share the token), so every answer corrects the bucket; a 429's
 * Retry-After closes it until then. Until the first answer says what the limit is, one request probes.
 */
export class RateBudget {
  private limit: number | undefined;
  private remaining = 0;
  private windowEnd = 0;
  /** Latest server reset seen: answers from an older window arrive late and must not refill the bucket. */
  private serverReset = 0;
  /** We assumed a new window on our own clock; the server has not confirmed it yet. */
  private rolled = false;
  private inflight = 0;
  private blockedUntil = 0;
  private readonly waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  private readonly windowMs: number;
  private readonly marginMs: number;

  constructor(private readonly opts: RateBudgetOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.windowMs = opts.windowMs ?? 60_000;
    this.marginMs = opts.marginMs ?? 250;
  }

  /** Resolves when a request may be sent; call `release` on the permit once its answer (or failure) is in. */
  acquire(opts: AcquireOptions = {}): Promise<RatePermit> {
    const leave = Math.min(Math.max(opts.leave ?? 0, 0), 1);
    const maxWaitMs = opts.maxWaitMs ?? this.opts.maxWaitMs;
    // From now, not from each re-evaluation: a 429 or a moved window met while waiting must not extend the wait.
    const deadline = maxWaitMs === undefined ? undefined : this.now() + maxWaitMs;
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject, leave, deadline });
      this.pump();
    });
  }

  /** For metrics and tests: the bucket as this process sees it. */
  snapshot(): { limit?: number; remaining: number; windowEnd: number; inflight: number; waiting: number } {
    return {
      limit: this.limit,
      remaining: this.remaining,
      windowEnd: this.windowEnd,
      inflight: this.inflight,
      waiting: this.waiters.length,
    };
  }

  private permit(): RatePermit {
    this.inflight++;
    let released = false;
    return {
      release: (view, retryAfterMs) => {
        if (released) return this.waitMs();
        released = true;
        this.inflight--;
        this.observe(view, retryAfterMs);
        this.pump();
        return this.waitMs();
      },
    };
  }

  private observe(view: RateLimitView | undefined, retryAfterMs: number | undefined): void {
    const now = this.now();
    if (retryAfterMs !== undefined) {
      this.blockedUntil = Math.max(this.blockedUntil, now + retryAfterMs);
      this.remaining = 0;
    }
    if (!view) {
      if (this.limit === undefined && retryAfterMs === undefined) {
        // A server without rate headers (or no answer at all): assume Clio's peak limit in a window from now.
        this.limit = this.opts.fallbackLimit ?? 50;
        this.remaining = Math.max(0, this.limit - 1 - this.inflight);
        this.windowEnd = now + this.windowMs;
      }
      return;
    }
    this.limit = view.limit;
    if (view.resetAt > this.serverReset) {
      // A newer window: trust the server, less what is still in flight (it may not have counted those yet).
      const fromServer = Math.max(0, view.remaining - this.inflight);
      this.remaining = this.rolled ? Math.min(this.remaining, fromServer) : fromServer;
      this.serverReset = view.resetAt;
      this.windowEnd = view.resetAt;
      this.rolled = false;
    } else if (view.resetAt === this.serverReset) {
      this.remaining = Math.min(this.remaining, Math.max(0, view.remaining - this.inflight));
    }
    if (retryAfterMs !== undefined) this.remaining = 0;
  }

  /**
   * How long until a request that leaves nothing to others may go: past a 429's Retry-After and, while the
   * window is spent, past its reset too (a Retry-After in whole seconds can end before Clio's reset does).
   */
  private waitMs(): number | undefined {
    if (this.limit === undefined) return this.inflight === 0 ? 0 : undefined;
    const now = this.now();
    let at = this.blockedUntil;
    if (this.remaining <= 0 && now < this.windowEnd + this.marginMs)
      at = Math.max(at, this.windowEnd + this.marginMs);
    return Math.max(0, at - now);
  }

  /**
   * Earliest time a request leaving `leave` of the window to others may go: 0 now, or Infinity when only an
   * answer in flight can tell (probing). Whatever it leaves, it may use at least one request of a window.
   */
  private nextSlotAt(now: number, leave: number): number {
    if (now < this.blockedUntil) return this.blockedUntil;
    if (this.limit === undefined) return this.inflight === 0 ? 0 : Infinity; // probing: wait for the answer
    // The epsilon absorbs binary fractions: 1 - 0.9 is 0.0999…, and 50 × that must keep 5, not 4.
    const kept = Math.max(0, Math.min(Math.floor(this.limit * leave + 1e-9), this.limit - 1));
    if (this.remaining > kept) return 0;
    const refillAt = this.windowEnd + this.marginMs;
    if (now >= refillAt) {
      this.remaining = this.limit;
      this.windowEnd = now + this.windowMs;
      this.rolled = true;
      return 0;
    }
    return refillAt;
  }

  /**
   * Lets go every waiter that may go, in order of arrival. A waiter that leaves part of the window to others
   * does not hold up those behind it that need not; one whose wait would pass its longest wait is told when
   * to come back.
   */
  private pump(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const now = this.now();
    let earliest = Infinity;
    for (let i = 0; i < this.waiters.length;) {
      const waiter = this.waiters[i]!;
      const at = this.nextSlotAt(now, waiter.leave);
      if (at === 0) {
        this.waiters.splice(i, 1);
        if (this.limit !== undefined) this.remaining--;
        waiter.resolve(this.permit());
        continue;
      }
      if (at === Infinity) {
        // Probing: the answer in flight tells the limit and calls pump again, but may come later than this
        // waiter may wait (a request's own timeout is longer).
        if (waiter.deadline !== undefined && now >= waiter.deadline) {
          this.waiters.splice(i, 1);
          waiter.reject(
            new ClioApiError(
              'The Clio rate budget is not known yet (the first request on this token has not been answered)',
              undefined,
              'RateBudgetExhausted',
              true,
              1_000,
            ),
          );
          continue;
        }
        if (waiter.deadline !== undefined) earliest = Math.min(earliest, waiter.deadline);
        i++;
        continue;
      }
      if (waiter.deadline !== undefined && at > waiter.deadline) {
        this.waiters.splice(i, 1);
        waiter.reject(
          new ClioApiError(
            `The Clio rate budget is spent until ${new Date(at).toISOString()}`,
            undefined,
            'RateBudgetExhausted',
            true,
            at - now,
          ),
        );
        continue;
      }
      earliest = Math.min(earliest, at);
      i++;
    }
    if (earliest !== Infinity) this.timer = setTimeout(() => this.pump(), earliest - now);
  }
}

/** Reads Clio's X-RateLimit-Limit/Remaining/Reset; undefined when the answer carries none. */
export function rateLimitView(headers: HeaderReader): RateLimitView | undefined {
  const limit = Number(headers.get('x-ratelimit-limit'));
  const remaining = Number(headers.get('x-ratelimit-remaining'));
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (headers.get('x-ratelimit-limit') === null || !Number.isFinite(limit) || !Number.isFinite(remaining))
    return undefined;
  if (!Number.isFinite(reset) || reset <= 0) return undefined;
  // Seconds since the epoch; a small number would be "seconds from now" (some servers send that).
  const resetAt = reset > 1e9 ? reset * 1000 : Date.now() + reset * 1000;
  return { limit, remaining, resetAt };
}
