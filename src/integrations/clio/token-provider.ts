import { tokenCache } from '../token-cache';
import { ClioOAuthClient, rethrowRefusedGrant } from './oauth/oauth-client';

export interface TokenProvider {
  /** A valid access token, refreshed first when it is about to expire. */
  getAccessToken(): Promise<string>;
  /** The given token was refused (401): the next call refreshes, once, however many callers saw the 401. */
  invalidate(token: string): void;
}

export interface RefreshTokenProviderOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  fetch?: typeof fetch;
  /** Refresh this long before `expires_in` runs out, so no request carries a token that expires in flight. */
  earlyRefreshMs?: number;
  now?: () => number;
}

/**
 * Exchanges a configured long-lived refresh token for access tokens at Clio's `/oauth/token` (the
 * non-OAuth-store mode). Refreshes are single-flight: concurrent callers share one request.
 */
export function createRefreshTokenProvider(opts: RefreshTokenProviderOptions): TokenProvider {
  const oauth = new ClioOAuthClient(opts);
  const tokens = tokenCache({
    obtain: async () => {
      const set = await oauth
        .refresh(opts.refreshToken)
        .catch((err: unknown) =>
          rethrowRefusedGrant(err, 'set CLIO_REFRESH_TOKEN to a grant Clio still honours'),
        );
      return { token: set.accessToken, expiresAt: set.expiresAt };
    },
    earlyMs: opts.earlyRefreshMs ?? 5 * 60_000,
    now: opts.now,
  });
  return { getAccessToken: tokens.get, invalidate: tokens.drop };
}
