import { z } from 'zod';
import { ClioApiError, errorFromResponse, networkError } from '../errors';
import { parseTokenAnswer, postOAuthForm } from '../../oauth-form';

const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number().positive(),
  refresh_token: z.string().optional(),
});

/** Tokens as the service keeps them. Clio Manage refresh tokens do not expire and are not rotated. */
export interface ClioTokenSet {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms. */
  expiresAt: number;
}

export interface ClioOAuthClientOptions {
  /** The regional host: OAuth lives on the same host as the API (a wrong region answers invalid_client). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  fetch?: typeof fetch;
  now?: () => number;
}

/** Clio's OAuth 2.0 endpoints: the authorize URL, the code exchange and the refresh grant. */
export class ClioOAuthClient {
  private readonly doFetch: typeof fetch;
  private readonly now: () => number;
  constructor(private readonly opts: ClioOAuthClientOptions) {
    this.doFetch = opts.fetch ?? fetch;
    this.now = opts.now ?? Date.now;
  }

  /** Where to send the firm's browser: Clio's consent page, coming back to `redirectUri?code=..&state=..`. */
  authorizeUrl(redirectUri: string, state: string): string {
    const url = new URL('/oauth/authorize', this.opts.baseUrl);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', this.opts.clientId);
    url.searchParams.set('redirect_uri', redirectUri);
    url.searchParams.set('state', state);
    return url.toString();
  }

  /** The callback's code → tokens. The code lives 10 minutes and works once; redirectUri must match. */
  exchangeAuthorizationCode(code: string, redirectUri: string): Promise<ClioTokenSet> {
    return this.token({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }, undefined);
  }

  refresh(refreshToken: string): Promise<ClioTokenSet> {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken }, refreshToken);
  }

  /** Revokes the firm's grant (Clio's `/oauth/deauthorize`); delete the stored tokens afterwards. */
  async deauthorize(accessToken: string): Promise<void> {
    const { res, text } = await postOAuthForm(
      this.doFetch,
      new URL('/oauth/deauthorize', this.opts.baseUrl),
      new URLSearchParams({ token: accessToken }),
      { networkError, authorization: `Bearer ${accessToken}` },
    );
    // Already revoked is as good as revoked.
    if (!res.ok && res.status !== 401) throw errorFromResponse(res.status, res.headers, text);
  }

  private async token(
    grant: Record<string, string>,
    currentRefresh: string | undefined,
  ): Promise<ClioTokenSet> {
    const body = new URLSearchParams({
      ...grant,
      client_id: this.opts.clientId,
      client_secret: this.opts.clientSecret,
    });
    const url = new URL('/oauth/token', this.opts.baseUrl);
    const { res, text } = await postOAuthForm(this.doFetch, url, body, { networkError });
    if (!res.ok) {
      const e = errorFromResponse(res.status, res.headers, text);
      // A refused grant or client will not fix itself by retrying: the firm must authorize again.
      throw res.status === 400 || res.status === 401
        ? new ClioApiError(e.message, e.status, e.type, false)
        : e;
    }
    const parsed = parseTokenAnswer(TokenResponseSchema, text);
    if (!parsed) {
      throw new ClioApiError(
        'Clio token answer has an unexpected shape',
        res.status,
        'BadTokenResponse',
        true,
      );
    }
    const refreshToken = parsed.refresh_token ?? currentRefresh;
    if (!refreshToken) {
      throw new ClioApiError('Clio issued no refresh token', res.status, 'BadTokenResponse', false);
    }
    return {
      accessToken: parsed.access_token,
      refreshToken,
      expiresAt: this.now() + parsed.expires_in * 1000,
    };
  }
}

/**
 * Rethrows a refresh Clio refused for good (the grant revoked in Clio, or the app's credentials changed) as the 401
 * it amounts to: the API then answers clio_refused_credentials ("re-authorize"), not "try again later", and the
 * message says what fixes it. Other errors are rethrown unchanged.
 */
export function rethrowRefusedGrant(err: unknown, remedy: string): never {
  if (err instanceof ClioApiError && !err.retryable && (err.status === 400 || err.status === 401))
    throw new ClioApiError(`Clio refused the grant (${err.type}): ${remedy}`, 401, err.type, false);
  throw err;
}
