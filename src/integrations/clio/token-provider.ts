import { ClioOAuthClient } from './oauth/oauth-client';

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
  const now = opts.now ?? Date.now;
  const early = opts.earlyRefreshMs ?? 5 * 60_000;
  let current: { token: string; expiresAt: number } | undefined;
  let inflight: Promise<string> | undefined;

  return {
    async getAccessToken() {
      if (current && current.expiresAt - early > now()) return current.token;
      inflight ??= oauth
        .refresh(opts.refreshToken)
        .then((set) => {
          current = { token: set.accessToken, expiresAt: set.expiresAt };
          return set.accessToken;
        })
        .finally(() => {
          inflight = undefined;
        });
      return inflight;
    },
    invalidate(token) {
      if (current?.token === token) current = undefined;
    },
  };
}
