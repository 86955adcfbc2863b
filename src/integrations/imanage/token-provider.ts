import { z } from 'zod';
import { type ExpiringToken, tokenCache } from '../token-cache';
import { errorFromResponse, IManageApiError, networkError } from './errors';
import { parseTokenAnswer, postOAuthForm } from '../oauth-form';

const TokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().optional(),
  refresh_token: z.string().optional(),
});

export interface IManageTokenProvider {
  getAccessToken(): Promise<string>;
  /** The token was refused (401): the next call gets a new one, once, however many callers saw the 401. */
  invalidate(token: string): void;
}

export interface IManagePasswordGrantOptions {
  /** The iManage host (`https://cloudimanage.com`); the OAuth server is at /auth/oauth2. */
  baseUrl: string;
  clientId: string;
  /** Some registrations (desktop clients) have none. */
  clientSecret?: string;
  username: string;
  password: string;
  fetch?: typeof fetch;
  /** Renew this long before expiry (default 60 s; iManage access tokens are short-lived). */
  earlyRefreshMs?: number;
  now?: () => number;
}

/**
 * A service account's tokens: the password grant first, then the refresh grant while iManage issues
 * refresh tokens (it may not: that is a per-application setting), falling back to the password grant
 * when a refresh token is refused. Single-flight: concurrent callers share one token request.
 */
export function createIManageTokenProvider(opts: IManagePasswordGrantOptions): IManageTokenProvider {
  const doFetch = opts.fetch ?? fetch;
  const now = opts.now ?? Date.now;
  let refreshToken: string | undefined;

  async function grant(form: Record<string, string>): Promise<ExpiringToken> {
    const body = new URLSearchParams({ ...form, client_id: opts.clientId });
    if (opts.clientSecret) body.set('client_secret', opts.clientSecret);
    const { res, text } = await postOAuthForm(doFetch, new URL('/auth/oauth2/token', opts.baseUrl), body, {
      networkError,
    });
    if (!res.ok) throw errorFromResponse(res.status, res.headers, text);
    const parsed = parseTokenAnswer(TokenSchema, text);
    if (!parsed)
      throw new IManageApiError(
        'iManage token answer has an unexpected shape',
        res.status,
        'BadTokenResponse',
        true,
      );
    refreshToken = parsed.refresh_token ?? refreshToken;
    // Without expires_in, assume 30 minutes (the sandbox's and a common Control Center setting).
    return { token: parsed.access_token, expiresAt: now() + (parsed.expires_in ?? 1800) * 1000 };
  }

  async function obtain(): Promise<ExpiringToken> {
    if (refreshToken) {
      try {
        return await grant({ grant_type: 'refresh_token', refresh_token: refreshToken });
      } catch (err) {
        if (!(err instanceof IManageApiError) || err.retryable) throw err;
        refreshToken = undefined; // refused or expired: sign in again
      }
    }
    // Wrong credentials answer 401 INVALID_GRANT, classified permanent: they will not fix themselves.
    return grant({ grant_type: 'password', username: opts.username, password: opts.password });
  }

  const tokens = tokenCache({ obtain, earlyMs: opts.earlyRefreshMs ?? 60_000, now });
  return { getAccessToken: tokens.get, invalidate: tokens.drop };
}
