import { type Logger } from 'pino';
import { ClioApiError, errorFromResponse, networkError } from './errors';
import { type TokenProvider } from './token-provider';

export type Query = Record<string, string | number | boolean | undefined | readonly (string | number)[]>;

export interface RequestOptions {
  query?: Query;
  /** Clio returns only id and etag unless fields are named. */
  fields?: string;
  body?: unknown;
  /** Abort a request that takes longer than this (the activity's own timeout is longer). */
  timeoutMs?: number;
}

export interface ClioHttpClientOptions {
  baseUrl: string;
  apiVersion: string;
  tokens: TokenProvider;
  logger: Logger;
  fetch?: typeof fetch;
  userAgent?: string;
}

/** The transport of the Clio API v4: auth, version pinning, `{data}` envelopes, error classification. */
export class ClioHttpClient {
  private readonly doFetch: typeof fetch;
  constructor(private readonly opts: ClioHttpClientOptions) {
    this.doFetch = opts.fetch ?? fetch;
  }

  url(path: string, query?: Query, fields?: string): URL {
    const url = new URL(`/api/v4/${path.replace(/^\//, '')}`, this.opts.baseUrl);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const item of v) url.searchParams.append(`${k}[]`, String(item));
      else url.searchParams.set(k, String(v));
    }
    if (fields) url.searchParams.set('fields', fields);
    return url;
  }

  /** Sends one request; a 401 refreshes the token and tries once more, since Clio tokens can be revoked early. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = this.url(path, options.query, options.fields);
    for (let attempt = 0; ; attempt++) {
      const token = await this.opts.tokens.getAccessToken();
      const res = await this.send(method, url, token, options);
      const text = await res.text();
      if (res.status === 401 && attempt === 0) {
        this.opts.tokens.invalidate(token);
        continue;
      }
      if (!res.ok) {
        const err = errorFromResponse(res.status, res.headers, text);
        this.opts.logger.warn({ method, path: url.pathname, status: res.status, type: err.type }, 'Clio request failed');
        throw err;
      }
      if (text.length === 0) return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new ClioApiError(`Clio answered ${res.status} with a body that is not JSON`, res.status, 'BadResponse', true);
      }
    }
  }

  private async send(method: string, url: URL, token: string, options: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      'x-api-version': this.opts.apiVersion,
      'user-agent': this.opts.userAgent ?? 'clio-orchestrator',
    };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await this.doFetch(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
    } catch (err) {
      throw networkError(err);
    }
  }
}
