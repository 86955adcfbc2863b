import express, { Router } from 'express';
import { metaFor, toApiUnits } from '../api/resource-meta';
import { loopbackOnly } from '../http/loopback-only';
import { DEFAULT_API_VERSION, parseVersion } from '../http/api-version';
import { TokenStore } from '../oauth/token-store';
import { FaultsSchema } from '../state/faults';
import type { SandboxState } from '../state/sandbox-state';

/** The dump answers in the default API version's units. */
const DUMP_VERSION = parseVersion(DEFAULT_API_VERSION);

/** Collections the contract names; present in the dump even while empty. */
export const CONTRACT_COLLECTIONS = [
  'users',
  'contacts',
  'matters',
  'activities',
  'bills',
  'bank_accounts',
  'bank_transactions',
  'calendar_entries',
  'tasks',
  'documents',
  'notes',
  'inbox_leads',
];

/** /_sandbox controls: dump, reset, faults, stats and token expiry; loopback clients only, no auth. */
export function controlRouter(state: SandboxState): Router {
  const router = Router();
  router.use('/_sandbox', loopbackOnly, express.json());

  router.get('/_sandbox/dump', (_req, res) => {
    const out: Record<string, unknown[]> = {};
    for (const name of CONTRACT_COLLECTIONS) out[name] = [];
    for (const collection of state.store.collections()) {
      const meta = metaFor(collection);
      out[collection] = state.store.all(collection).map((doc) => {
        const record = toApiUnits(meta, doc);
        meta.adjust?.(record, DUMP_VERSION);
        for (const [name, compute] of Object.entries(meta.virtual ?? {}))
          record[name] = compute(state.store, doc);
        return record;
      });
    }
    res.json(out);
  });

  router.post('/_sandbox/reset', (_req, res) => {
    state.reset();
    res.json({ ok: true });
  });

  // Beyond the contract: the access tokens issued so far stop working, their refresh tokens do not.
  router.post('/_sandbox/expire-access-tokens', (_req, res) => {
    res.json({ expired: new TokenStore(state.db).expireAccessTokens() });
  });

  router.get('/_sandbox/faults', (_req, res) => {
    res.json(state.getFaults());
  });

  router.post('/_sandbox/faults', (req, res) => {
    const parsed = FaultsSchema.partial().safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400).json({
        error: {
          type: 'BadRequest',
          message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        },
      });
      return;
    }
    res.json(state.mergeFaults(parsed.data));
  });

  router.get('/_sandbox/stats', (_req, res) => {
    res.json(state.stats.snapshot());
  });
  return router;
}
