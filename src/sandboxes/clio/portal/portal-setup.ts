import { seedGrow } from '../grow/grow-seed';
import type { SandboxState } from '../state/sandbox-state';
import { AuthStore } from './auth-store';
import { clearPortalTables, ensurePortalTables } from './portal-db';
import type { PortalContext } from './portal-context';

export interface PortalOptions {
  /** Clock for sessions, codes and TOTP; tests move it to expire codes without waiting. */
  now?: () => number;
}

const contexts = new WeakMap<SandboxState, PortalContext>();

/**
 * One portal context per sandbox state, built by whichever router factory runs first (its options
 * win), so the portal and Grow routers share one clock and one set of tables.
 */
export function portalContextFor(state: SandboxState, opts: PortalOptions): PortalContext {
  const existing = contexts.get(state);
  if (existing) return existing;
  const now = opts.now ?? Date.now;
  ensurePortalTables(state.db);
  const built: PortalContext = { state, auth: new AuthStore(state.db, now), now };
  contexts.set(state, built);
  // The 50 Grow leads: once on a new store, and again after each reset (which empties every collection).
  seedGrow(state);
  // A reset brings back the seeded firm: sessions, challenges, codes and jobs go with it.
  state.onReset(() => {
    clearPortalTables(state.db);
    seedGrow(state);
  });
  return built;
}
