import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { MemoryStore, rateLimit } from 'express-rate-limit';
import type { SandboxState } from '../state/sandbox-state';

const WINDOW_MS = 60_000;

/** Clio counts per access token; unauthenticated calls share a window per address. */
function rateKey(req: Request): string {
  const auth = req.header('authorization') ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(auth);
  // Hashed so the limiter's memory never holds a usable token.
  if (m)
    return `t:${createHash('sha256')
      .update(m[1] as string)
      .digest('hex')}`;
  return `ip:${req.socket.remoteAddress ?? 'unknown'}`;
}

/**
 * Per-token fixed 60 s window with Clio's X-RateLimit-Limit/Remaining/Reset (Unix seconds) on every
 * answer and 429 + Retry-After when over. The limit is read from the faults on each request.
 */
export function createRateLimit(state: SandboxState): { middleware: RequestHandler; shutdown: () => void } {
  const store = new MemoryStore();
  state.onReset(() => void store.resetAll());
  const middleware = rateLimit({
    windowMs: WINDOW_MS,
    limit: () => state.getFaults().rateLimitPerMinute,
    legacyHeaders: true,
    standardHeaders: false,
    keyGenerator: rateKey,
    store,
    validate: false,
    handler: (_req, res) => {
      if (state.getFaults().disguisedRateLimit) {
        // The quirk clients have met in the wild: a 200 whose base64 body says "RateLimited".
        res.status(200).json({
          metadata: { encodingDecoded: 'text/plain' },
          data: Buffer.from('RateLimited').toString('base64'),
        });
        return;
      }
      res.status(429).json({
        error: {
          type: 'RateLimited',
          message: 'Rate limit exceeded. Retry after the time in Retry-After.',
        },
      });
    },
  });
  return { middleware, shutdown: () => store.shutdown() };
}
