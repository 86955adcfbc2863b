import { rateLimit } from 'express-rate-limit';
import { AppError } from '../errors';

/**
 * Per API key (after authentication), so one noisy integration cannot starve the firm's other users. A request
 * without a valid key never gets here; `authenticate` holds those back per client address.
 */
export function perKeyRateLimit(perMinute: number) {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => req.principal?.apiKeyId ?? 'anonymous',
    handler: (_req, res, next) => {
      const retryAfter = res.getHeader('retry-after');
      next(
        new AppError(
          429,
          'rate_limited',
          'Too many requests for this API key; retry after the Retry-After seconds',
          undefined,
          retryAfter ? { 'retry-after': String(retryAfter) } : undefined,
        ),
      );
    },
  });
}
