import type { SandboxState } from '../state/sandbox-state';
import { AuthStore } from './auth-store';
import { clearPortalTables, ensurePortalTables } from './portal-db';
import type { PortalContext } from './portal-context';

export interface PortalOptions {
  /** Clock for sessions, codes and TOTP; tests move it to expire codes without waiting. */
  now?: () => number;
  /** Extra work when the context is first built and after every reset (the Grow seed hooks in here). */
  onSeed?: (ctx: PortalContext) => void;
}

const contexts = new WeakMap<SandboxState, PortalContext>();

/**
 * One portal context per sandbox state, built by whichever router factory runs first, so the portal
 * and Grow routers share one clock and one set of tables without module-level singletons per process.
 */
export function portalContextFor(state: SandboxState, opts: PortalOptions): PortalContext {
  const existing = contexts.get(state);
  if (existing) return existing;
  const now = opts.now ?? Date.now;
  ensurePortalTables(state.db);
  const built: PortalContext = { state, auth: new AuthStore(state.db, now), now };
  contexts.set(state, built);
  opts.onSeed?.(built);
  // A reset brings back the seeded firm: sessions, challenges, codes and jobs go with it.
  state.onReset(() => {
    clearPortalTables(state.db);
    opts.onSeed?.(built);
  });
  return built;
}
