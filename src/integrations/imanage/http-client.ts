import { type Logger } from 'pino';
import { errorFromResponse, IManageApiError, networkError } from './errors';
import { type IManageTokenProvider } from './token-provider';

export type IManageQuery = Record<string, string | number | boolean | undefined>;

export interface IManageHttpClientOptions {
  baseUrl: string;
  /** `1` on premises; iManage Cloud tenants have their own (read it from GET /api). */
  customerId: string;
  library: string;
  tokens: IManageTokenProvider;
  logger: Logger;
  fetch?: typeof fetch;
}

/** Work API v2 transport: X-Auth-Token, the error envelope, one retry after a 401 with a new token. */
export class IManageHttpClient {
  private readonly doFetch: typeof fetch;
  constructor(private readonly opts: IManageHttpClientOptions) {
    this.doFetch = opts.fetch ?? fetch;
  }

  get library(): string {
    return this.opts.library;
  }

  /** `path` is relative to the library (`workspaces`, `documents/ACTIVE!12.1`). */
  url(path: string, query: IManageQuery = {}): URL {
    const { customerId, library } = this.opts;
    const url = new URL(
      `/work/api/v2/customers/${encodeURIComponent(customerId)}/libraries/${encodeURIComponent(library)}/${path}`,
      this.opts.baseUrl,
    );
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  async request<T>(
    method: string,
    path: string,
    options: { query?: IManageQuery; body?: unknown } = {},
  ): Promise<T> {
    const url = this.url(path, options.query);
    for (let attempt = 0; ; attempt++) {
      const token = await this.opts.tokens.getAccessToken();
      let res: Response;
      let text: string;
      try {
        res = await this.doFetch(url, {
          method,
          headers: {
            'x-auth-token': token,
            accept: 'application/json',
            ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: AbortSignal.timeout(30_000),
        });
        text = await res.text();
      } catch (err) {
        throw networkError(err);
      }
      // Expired or revoked: a new token, once; a second 401 means the account itself is refused.
      if (res.status === 401 && attempt === 0) {
        this.opts.tokens.invalidate(token);
        continue;
      }
      if (!res.ok) {
        const err = errorFromResponse(res.status, res.headers, text);
        this.opts.logger.warn(
          { method, path: url.pathname, status: res.status, code: err.code },
          'iManage request failed',
        );
        throw err;
      }
      if (text.length === 0) return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new IManageApiError(
          `iManage answered ${res.status} with a body that is not JSON`,
          res.status,
          'BadResponse',
          true,
        );
      }
    }
  }
}
