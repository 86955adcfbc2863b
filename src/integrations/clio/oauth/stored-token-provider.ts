import { type ExpiringToken, tokenCache } from '../../token-cache';
import { ClioApiError } from '../errors';
import { type TokenProvider } from '../token-provider';
import { ClioOAuthClient } from './oauth-client';
import { type ClioTokenStore } from './token-store';

export interface StoredTokenProviderOptions {
  tenant: string;
  store: ClioTokenStore;
  oauth: ClioOAuthClient;
  /** Refresh this long before expiry, so no request carries a token that expires in flight (default 5 min). */
  earlyRefreshMs?: number;
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
  /** A token Clio refused: never handed out again, even when the store still holds it. */
  let refused: string | undefined;
  const fresh = (t: { accessToken: string; expiresAt: number }) =>
    t.expiresAt - early > now() && t.accessToken !== refused;

  async function obtain(): Promise<ExpiringToken> {
    const stored = await opts.store.load(opts.tenant);
    if (!stored) {
      throw new ClioApiError(
        `Tenant ${opts.tenant} has not connected Clio: open /v1/tenants/${opts.tenant}/oauth/start`,
        undefined,
        'NotAuthorized',
        false,
      );
    }
    // Another process may have refreshed already.
    if (fresh(stored)) return { token: stored.accessToken, expiresAt: stored.expiresAt };
    const next = await opts.oauth.refresh(stored.refreshToken);
    await opts.store.save(opts.tenant, next);
    return { token: next.accessToken, expiresAt: next.expiresAt };
  }

  const tokens = tokenCache({ obtain, earlyMs: early, now });
  return {
    getAccessToken: tokens.get,
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
