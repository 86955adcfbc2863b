import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { clientAddress, type RefusalGuard } from '../auth/refusals';
import { presentedApiKey } from '../middleware/authenticate';
import { AppError } from '../errors';
import { type ApiMetrics } from '../metrics';

export interface MetricsRouteDeps {
  metrics: ApiMetrics;
  /**
   * METRICS_TOKEN: when set, a scrape must send it as `Authorization: Bearer <token>` (Prometheus's
   * `authorization: { credentials }`). Unset, /metrics is open, as most exporters are: keep it off public networks.
   */
  token?: string;
  /** Where refused tokens are counted per client address, with the API's refused keys. */
  refusals?: RefusalGuard;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** GET /metrics in Prometheus's text format: request counts and latencies by route and status, workflow starts. */
export function metricsRouter(deps: MetricsRouteDeps): Router {
  const router = Router();
  // Compared as digests: equal lengths for timingSafeEqual, and no early exit on the first differing character.
  const expected = deps.token === undefined ? undefined : digest(deps.token);
  router.get('/metrics', async (req, res) => {
    if (expected) {
      const address = clientAddress(req);
      const presented = presentedApiKey(req);
      const held = deps.refusals?.heldBack(address, presented);
      if (held) throw held;
      if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
        deps.refusals?.refused(address, presented);
        throw new AppError(
          401,
          'unauthenticated',
          presented === undefined
            ? 'Send the metrics token as Authorization: Bearer <token>'
            : 'The metrics token is not valid',
          undefined,
          { 'www-authenticate': 'Bearer' },
        );
      }
    }
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  return router;
}
