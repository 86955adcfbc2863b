import { type RequestHandler } from 'express';
import { MemoryStore, ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { DEFAULT_TOKEN_TTL_SECONDS } from '../config';
import { tooManyRequests, unavailable } from '../errors';
import { createRng, type Rng } from '../state/rng';

/** The contract's fault body; `portalVariant` only matters to the Clio sandbox but is accepted for symmetry. */
export const FaultsSchema = z
  .object({
    errorRate: z.number().min(0).max(1),
    latencyMs: z.number().int().min(0).max(120_000),
    rateLimitPerMinute: z.number().int().min(0),
    commitThenDropRate: z.number().min(0).max(1),
    sessionTtlSeconds: z.number().int().min(1),
    portalVariant: z.enum(['default', 'changed']),
  })
  .partial()
  .strict();

export type Faults = Required<z.infer<typeof FaultsSchema>>;

const NO_FAULTS: Faults = {
  errorRate: 0,
  latencyMs: 0,
  rateLimitPerMinute: 0,
  commitThenDropRate: 0,
  sessionTtlSeconds: DEFAULT_TOKEN_TTL_SECONDS,
  portalVariant: 'default',
};

/** Fault settings and their own seeded generator, so a run with the same requests meets the same faults. */
export class FaultState {
  current: Faults = { ...NO_FAULTS };
  private rng: Rng;
  readonly rateStore = new MemoryStore();

  constructor(private readonly seed: number) {
    this.rng = createRng(seed ^ 0x5eed);
  }

  update(patch: Partial<Faults>): Faults {
    this.current = { ...this.current, ...patch };
    // A new budget starts a new window; otherwise an earlier burst would still count against it.
    if (patch.rateLimitPerMinute !== undefined) void this.rateStore.resetAll();
    return this.current;
  }

  reset(): void {
    this.current = { ...NO_FAULTS };
    this.rng = createRng(this.seed ^ 0x5eed);
    void this.rateStore.resetAll();
  }

  roll(rate: number): boolean {
    return rate > 0 && this.rng.float() < rate;
  }
}

export function latency(f: FaultState): RequestHandler {
  return (_req, _res, next) => {
    const ms = f.current.latencyMs;
    if (ms > 0) setTimeout(next, ms);
    else next();
  };
}

/** One shared budget per caller (its token, else its address), counted over a fixed one-minute window. */
export function rateLimiter(f: FaultState): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: () => f.current.rateLimitPerMinute,
    skip: () => f.current.rateLimitPerMinute === 0,
    store: f.rateStore,
    standardHeaders: 'draft-6',
    legacyHeaders: false,
    keyGenerator: (req) => req.get('x-auth-token') ?? ipKeyGenerator(req.ip ?? 'unknown'),
    handler: (req, res) => {
      const reset = (req as typeof req & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = reset ? Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000)) : 60;
      const e = tooManyRequests();
      res.set('Retry-After', String(seconds)).status(e.status).json(e.toBody());
    },
  });
}

export function errorInjection(f: FaultState): RequestHandler {
  return (_req, _res, next) => {
    if (f.roll(f.current.errorRate)) throw unavailable();
    next();
  };
}

/**
 * Commit-then-drop: the handler commits its write as usual, then instead of answering, the connection is
 * destroyed. Clients see a network error for a write that did happen, which is what retries must survive.
 */
export function commitThenDrop(f: FaultState): RequestHandler {
  return (_req, res, next) => {
    if (!f.roll(f.current.commitThenDropRate)) return next();
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      if (res.statusCode >= 200 && res.statusCode < 300) {
        res.locals.dropped = true;
        res.socket?.destroy();
        return res;
      }
      return json(body);
    };
    next();
  };
}
