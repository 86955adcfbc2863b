import { Router } from 'express';
import type { SandboxState } from '../state/sandbox-state';
import { growBearer } from './grow-auth';
import { listPage } from './grow-views';

/** Grow contacts and prospective matters, read-only, under /grow (bearer token). */
export function growRouter(state: SandboxState): Router {
  const router = Router();
  const { store } = state;
  const guard = growBearer(state);
  const same = (d: Record<string, unknown> & { id: number }) => d;
  for (const [path, collection, what] of [
    ['contacts', 'grow_contacts', 'Grow contact'],
    ['matters', 'grow_matters', 'Grow matter'],
  ] as const) {
    router.get(`/grow/${path}`, guard, (req, res) => {
      res.json(listPage(req, store, collection, [], same));
    });
    router.get(`/grow/${path}/:id`, guard, (req, res) => {
      const doc = store.get(collection, Number(req.params.id));
      if (!doc) {
        res.status(404).json({ error: { type: 'RecordNotFound', message: `${what} could not be found` } });
        return;
      }
      res.json({ data: doc });
    });
  }
  return router;
}
