import { z } from 'zod';
import { ClioApiError, errorFromResponse, networkError } from './errors';

const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number().positive(),
  refresh_token: z.string().optional(),
});

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
 * Exchanges a long-lived refresh token for access tokens at Clio's `/oauth/token`. Refreshes are
 * single-flight: concurrent callers share one request.
 */
export function createRefreshTokenProvider(opts: RefreshTokenProviderOptions): TokenProvider {
  const doFetch = opts.fetch ?? fetch;
  const now = opts.now ?? Date.now;
  const early = opts.earlyRefreshMs ?? 5 * 60_000;
  let current: { token: string; expiresAt: number } | undefined;
  let inflight: Promise<string> | undefined;

  async function refresh(): Promise<string> {
    const body = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: opts.refreshToken,
      client_id: opts.clientId,
      client_secret: opts.clientSecret,
    });
    let res: Response;
    try {
      res = await doFetch(new URL('/oauth/token', opts.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
      });
    } catch (err) {
      throw networkError(err);
    }
    const text = await res.text();
    if (!res.ok) {
      const e = errorFromResponse(res.status, res.headers, text);
      // A refused grant will not fix itself by retrying: the firm must re-authorize.
      throw res.status === 400 || res.status === 401
        ? new ClioApiError(e.message, e.status, e.type, false)
        : e;
    }
    const parsed = TokenResponseSchema.safeParse(JSON.parse(text));
    if (!parsed.success)
      throw new ClioApiError(
        'Clio token answer has an unexpected shape',
        res.status,
        'BadTokenResponse',
        true,
      );
    current = { token: parsed.data.access_token, expiresAt: now() + parsed.data.expires_in * 1000 };
    return current.token;
  }

  return {
    async getAccessToken() {
      if (current && current.expiresAt - early > now()) return current.token;
      inflight ??= refresh().finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
    invalidate(token) {
      if (current?.token === token) current = undefined;
    },
  };
}
