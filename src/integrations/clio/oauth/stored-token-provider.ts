import { type ExpiringToken, tokenCache } from '../../token-cache';
import { ClioApiError } from '../errors';
import { type TokenProvider } from '../token-provider';
import { ClioOAuthClient, type ClioTokenSet, rethrowRefusedGrant } from './oauth-client';
import { type ClioTokenStore } from './token-store';

export interface StoredTokenProviderOptions {
  tenant: string;
  store: ClioTokenStore;
  oauth: ClioOAuthClient;
  /** Refresh this long before expiry, so no request carries a token that expires in flight (default 5 min). */
  earlyRefreshMs?: number;
  /**
   * How often a process holding a token looks at the store again (default 1 min): a reconnect or a disconnect
   * written by another process then takes effect within this, not when the held token expires (Clio's last
   * 30 days), and processes that refreshed apart come back to the one token the store holds.
   */
  recheckMs?: number;
  now?: () => number;
}

/**
 * Access tokens of a tenant connected through OAuth, from the encrypted store. Refreshes before expiry
 * and after a 401, single-flight: however many callers ask at once, one refresh request is made, and its
 * result is written back so other processes read it instead of refreshing again.
 */
export function createStoredTokenProvider(opts: StoredTokenProviderOptions): TokenProvider {
  const now = opts.now ?? Date.now;
  const early = opts.earlyRefreshMs ?? 5 * 60_000;
  const recheckMs = opts.recheckMs ?? 60_000;
  /** A token Clio refused: never handed out again, even when the store still holds it. */
  let refused: string | undefined;
  /** The token last obtained, and when the store last said it is still the tenant's. */
  let held: string | undefined;
  let checkedAt = 0;
  let checking: Promise<void> | undefined;
  const fresh = (t: { accessToken: string; expiresAt: number }) =>
    t.expiresAt - early > now() && t.accessToken !== refused;
  const notConnected = () =>
    new ClioApiError(
      `Tenant ${opts.tenant} has not connected Clio: open /v1/tenants/${opts.tenant}/oauth/start`,
      undefined,
      'NotAuthorized',
      false,
    );

  const refresh = (refreshToken: string): Promise<ClioTokenSet> =>
    opts.oauth
      .refresh(refreshToken)
      .catch((err: unknown) =>
        rethrowRefusedGrant(
          err,
          `an admin must connect Clio again at /v1/tenants/${opts.tenant}/oauth/start`,
        ),
      );

  async function fromStore(again = false): Promise<ExpiringToken> {
    const found = await opts.store.loadVersioned(opts.tenant);
    if (!found) throw notConnected();
    const stored = found.tokens;
    // Another process may have refreshed already.
    if (fresh(stored)) return { token: stored.accessToken, expiresAt: stored.expiresAt };
    const next = await refresh(stored.refreshToken);
    // The row changed while Clio answered (a reconnect, a disconnect, another process's refresh): it wins.
    if (!(await opts.store.replace(opts.tenant, found.version, next)) && !again) return fromStore(true);
    return { token: next.accessToken, expiresAt: next.expiresAt };
  }

  async function obtain(): Promise<ExpiringToken> {
    const token = await fromStore();
    held = token.token;
    checkedAt = now();
    return token;
  }

  async function recheck(): Promise<void> {
    const seen = held;
    try {
      const stored = await opts.store.load(opts.tenant);
      if (seen !== undefined && stored?.accessToken !== seen) tokens.drop(seen);
    } catch {
      // The token in hand still works while the store cannot be read; the next check tries again.
    }
    checkedAt = now();
  }

  const tokens = tokenCache({ obtain, earlyMs: early, now });
  return {
    async getAccessToken() {
      if (held !== undefined && now() - checkedAt >= recheckMs) {
        checking ??= recheck().finally(() => {
          checking = undefined;
        });
        await checking;
      }
      return tokens.get();
    },
    invalidate(token) {
      refused = token;
      tokens.drop(token);
    },
  };
}

/** The OAuth callback's work: exchange the code and keep the tokens, sealed, for the tenant. */
export async function completeAuthorization(opts: {
  tenant: string;
  code: string;
  redirectUri: string;
  oauth: ClioOAuthClient;
  store: ClioTokenStore;
}): Promise<void> {
  const tokens = await opts.oauth.exchangeAuthorizationCode(opts.code, opts.redirectUri);
  await opts.store.save(opts.tenant, tokens);
}

/**
 * For `createClioClientFactory(credentialsFor, logger, { tokenProvider })` in OAuth mode: each tenant's tokens
 * come from the store, refreshed with that tenant's client credentials on its regional host.
 */
export function storedTokenProviders(
  store: ClioTokenStore,
  opts: { fetch?: typeof fetch; earlyRefreshMs?: number } = {},
): (creds: { tenant: string; baseUrl: string; clientId: string; clientSecret: string }) => TokenProvider {
  return (creds) =>
    createStoredTokenProvider({
      tenant: creds.tenant,
      store,
      oauth: new ClioOAuthClient({ ...creds, fetch: opts.fetch }),
      earlyRefreshMs: opts.earlyRefreshMs,
    });
}
