import { z } from 'zod';

/** The fault controls of POST /_sandbox/faults; partial updates merge into the current set. */
export const FaultsSchema = z
  .object({
    errorRate: z.number().min(0).max(1),
    latencyMs: z.number().int().min(0).max(120_000),
    /**
     * Per access token, 60 s window. Clio allows 50/min at peak and an unpublished higher figure
     * off-peak (a partner reports 300); 600 keeps the seeded firm usable by tests and demos while
     * still exercising the headers. Set 50 to rehearse peak hours.
     */
    rateLimitPerMinute: z.number().int().min(1).max(1_000_000),
    commitThenDropRate: z.number().min(0).max(1),
    sessionTtlSeconds: z.number().int().min(1),
    portalVariant: z.enum(['default', 'changed']),
    /** Clio sometimes answers a rate limit as a 200 with a base64 "RateLimited" body; opt-in. */
    disguisedRateLimit: z.boolean(),
    /** Lifetime of newly issued OAuth access tokens (Clio: 30 days); shorten it to test expiry. */
    accessTokenTtlSeconds: z.number().int().min(1),
  })
  .strict();

export type Faults = z.infer<typeof FaultsSchema>;

export const DEFAULT_FAULTS: Faults = {
  errorRate: 0,
  latencyMs: 0,
  rateLimitPerMinute: 600,
  commitThenDropRate: 0,
  sessionTtlSeconds: 3600,
  portalVariant: 'default',
  disguisedRateLimit: false,
  accessTokenTtlSeconds: 2_592_000,
};
