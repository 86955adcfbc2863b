import { Router } from 'express';
import { type Readiness } from '../readiness';

export function healthRouter(deps: { readiness: () => Promise<Readiness> }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const readiness = await deps.readiness();
    res.status(readiness.ready ? 200 : 503).json(readiness);
  });
  return router;
}
