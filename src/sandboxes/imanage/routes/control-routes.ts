import { type Express } from 'express';
import { type FaultState, FaultsSchema } from '../http/faults';
import { loopbackOnly } from '../http/loopback';
import { type Stats } from '../http/stats';
import { parse } from '../http/validate';
import { allDocuments } from '../state/documents-repo';
import { loadAllFlags } from '../state/flags';
import { allFolders } from '../state/folders-repo';
import { listCustom1, listCustom2 } from '../state/customs-repo';
import { type Store } from '../state/store';
import { allWorkspaces } from '../state/workspaces-repo';

export interface ControlDeps {
  store: Store;
  faults: FaultState;
  stats: Stats;
  reset(): void;
}

/** `/_sandbox/*`: the test harness's view and levers; loopback only, no auth, never faulted or counted. */
export function registerControlRoutes(app: Express, d: ControlDeps): void {
  const guard = loopbackOnly();
  app.get('/_sandbox/dump', guard, (_req, res) => {
    const s = d.store;
    const dump = s.db.transaction(() => {
      const flags = loadAllFlags(s.db);
      return {
        workspaces: allWorkspaces(s, flags),
        folders: allFolders(s, flags),
        documents: allDocuments(s),
        custom1: listCustom1(s.db, 0, -1).results,
        custom2: listCustom2(s.db, undefined, 0, -1).results,
      };
    })();
    res.json(dump);
  });
  app.post('/_sandbox/reset', guard, (_req, res) => {
    d.reset();
    res.json({ ok: true });
  });
  app.get('/_sandbox/faults', guard, (_req, res) => {
    res.json(d.faults.current);
  });
  app.post('/_sandbox/faults', guard, (req, res) => {
    res.json(d.faults.update(parse(FaultsSchema, req.body ?? {}, 'faults')));
  });
  app.get('/_sandbox/stats', guard, (_req, res) => {
    res.json(d.stats.snapshot());
  });
}
