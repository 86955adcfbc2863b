import { type Logger } from 'pino';
import { AnswerMemo } from './answer-memo';
import { EtagCache } from './etag-cache';
import {
  ClioApiError,
  errorFromResponse,
  isDisguisedRateLimit,
  networkError,
  rateLimitedError,
} from './errors';
import { type AcquireOptions, rateLimitView, type RatePermit } from './rate-budget';
import { RateBudgetRegistry } from './rate-budget-registry';
import { type TokenProvider } from './token-provider';
import { type ClioTransport, type TransportAnswer, undiciTransport } from './transport';

export type Query = Record<string, string | number | boolean | undefined | readonly (string | number)[]>;

export interface RequestOptions {
  query?: Query;
  /** Clio returns only id and etag unless fields are named. */
  fields?: string;
  body?: unknown;
  /** Abort a request that takes longer than this (the activity's own timeout is longer). */
  timeoutMs?: number;
  /**
   * Epoch ms after which the request is not sent at all (a retryable `SendDeadlinePassed`): a write whose caller
   * will have given up by then (its activity attempt timed out, a retry may already be writing) must not land
   * beside that retry's, however long the token refresh, the rate budget or a 401's second try took.
   */
  sendBy?: number;
  /** Extra headers (If-Match for optimistic concurrency). */
  headers?: Record<string, string>;
}

export interface ClioHttpClientOptions {
  /** The regional host (`https://app.clio.com`, `https://eu.app.clio.com`, ...; see regions.ts). */
  baseUrl: string;
  /** Pinned minor version (X-API-VERSION), so a Clio default change cannot alter answers under us. */
  apiVersion: string;
  tokens: TokenProvider;
  logger: Logger;
  /** The HTTP exchange; default: undici over the process's keep-alive pool. Tests wrap it to watch answers. */
  transport?: ClioTransport;
  userAgent?: string;
  /** The process-wide budgets; share one registry between all clients of a process. */
  budgets?: RateBudgetRegistry;
  /** How this client's requests draw on their token's budget (the API's reads leave part of it to workflows). */
  budgetDraw?: AcquireOptions;
  /** Parsed records kept for ETag revalidation (per client). */
  etagCacheSize?: number;
  /** Bytes of list answers kept to revalidate pages by content (per client; default 4 MB). */
  answerMemoBytes?: number;
}

type Answer = TransportAnswer;

/**
 * The transport of the Clio API v4: auth, version pinning, the per-token rate budget, `{data}` envelopes,
 * ETag revalidation (content revalidation for lists) and error classification (errors.ts).
 */
export class ClioHttpClient {
  private readonly transport: ClioTransport;
  private readonly budgets: RateBudgetRegistry;
  private readonly etags: EtagCache;
  private readonly answers: AnswerMemo;
  constructor(private readonly opts: ClioHttpClientOptions) {
    this.transport = opts.transport ?? undiciTransport();
    this.budgets = opts.budgets ?? new RateBudgetRegistry();
    this.etags = new EtagCache(opts.etagCacheSize ?? 500);
    this.answers = new AnswerMemo(opts.answerMemoBytes ?? 4_000_000);
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

  /** Sends one request and returns its parsed JSON (undefined for an empty answer). */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = this.url(path, options.query, options.fields);
    const answer = await this.exchange(method, url, options);
    return parseJson<T>(answer);
  }

  /**
   * A GET of one record that revalidates with If-None-Match when this client has read it before: a 304
   * costs a request but no parsing, and the cached record comes back. `parse` turns the raw answer into
   * the record (zod); only parsed records are cached.
   *
   * Only for a record of its own fields (links as `matter{id}` included): Clio's ETag is the record's own
   * version, so a record read with fields of linked records (`client{id,name}`) would stay "not modified" after
   * the client was renamed. Such a read is made in full every time; its parse is still reused while Clio
   * answers the same bytes.
   */
  async getRecord<T>(path: string, options: RequestOptions, parse: (raw: unknown) => T): Promise<T> {
    const url = this.url(path, options.query, options.fields);
    if (readsLinkedRecords(options.fields)) {
      const answer = await this.exchange('GET', url, options);
      // Copied out: the memo keeps its own frozen record, callers get one they may change.
      return structuredClone(
        this.answers.parse(url.href, answer.bytes, () => parse(parseJson<unknown>(answer))),
      );
    }
    const key = url.toString();
    const cached = this.etags.get<T>(key);
    const headers = { ...options.headers, ...(cached ? { 'if-none-match': cached.etag } : {}) };
    const answer = await this.exchange('GET', url, { ...options, headers });
    // Copies out and in: the cache keeps its own frozen record, callers get one they may change.
    if (answer.status === 304 && cached) return structuredClone(cached.value);
    const value = parse(parseJson<unknown>(answer));
    const etag = answer.headers.get('etag');
    if (etag) this.etags.set(key, etag, structuredClone(value));
    else this.etags.delete(key);
    return value;
  }

  /**
   * A GET made every time whose parse is reused while Clio answers the same bytes (AnswerMemo): for lists,
   * which have no ETag. `parse` turns the raw answer into the value (zod); the value is frozen and shared.
   */
  async getParsed<T>(path: string, options: RequestOptions, parse: (raw: unknown) => T): Promise<T> {
    const url = this.url(path, options.query, options.fields);
    const answer = await this.exchange('GET', url, options);
    return this.answers.parse(url.href, answer.bytes, () => parse(parseJson<unknown>(answer)));
  }

  /** The request with auth and budget; a 401 refreshes the token and tries once more (tokens can be revoked early). */
  private async exchange(method: string, url: URL, options: RequestOptions): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.opts.tokens.getAccessToken();
      const permit = await this.budgets.forToken(token).acquire(this.opts.budgetDraw);
      if (options.sendBy !== undefined && Date.now() > options.sendBy) {
        permit.release(undefined);
        throw new ClioApiError(
          `${method} ${url.pathname} not sent: its time to be sent by had passed`,
          undefined,
          'SendDeadlinePassed',
          true,
        );
      }
      const answer = await this.send(method, url, token, options, permit);
      if (answer.status === 401 && attempt === 0) {
        this.opts.tokens.invalidate(token);
        continue;
      }
      if (answer.status === 304) return answer;
      if (answer.status < 200 || answer.status >= 300) {
        const err = errorFromResponse(answer.status, answer.headers, answer.text);
        this.opts.logger.warn(
          { method, path: url.pathname, status: answer.status, type: err.type },
          'Clio request failed',
        );
        throw err;
      }
      return answer;
    }
  }

  private async send(
    method: string,
    url: URL,
    token: string,
    options: RequestOptions,
    permit: RatePermit,
  ): Promise<Answer> {
    const headers: Record<string, string> = {
      ...options.headers,
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      'x-api-version': this.opts.apiVersion,
      'user-agent': this.opts.userAgent ?? 'clio-orchestrator',
    };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let res: Answer;
    try {
      res = await this.transport({
        method,
        url,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        timeoutMs: options.timeoutMs ?? 30_000,
      });
    } catch (err) {
      // No answer: the server may still have counted it, so the slot is not handed back as unused.
      permit.release(undefined);
      throw networkError(err);
    }
    const view = rateLimitView(res.headers);
    const disguised = res.status === 200 && isDisguisedRateLimit(res);
    if (res.status === 429 || disguised) {
      const budgetWaitMs = permit.release(view, rateLimitedError(res.headers, disguised).retryAfterMs);
      // Told to come back when this process's budget will send again, not earlier (Clio's reset may be later).
      const err = rateLimitedError(res.headers, disguised, budgetWaitMs);
      this.opts.logger.warn({ method, path: url.pathname, disguised }, 'Clio rate limit reached');
      throw err;
    }
    permit.release(view);
    return res;
  }
}

/**
 * Fields of linked records that never change: a currency's code is its ISO 4217 identity. A record shown with only
 * these of its links is still revalidated with its own ETag.
 */
const FIXED_LINK_FIELDS: Readonly<Record<string, readonly string[]>> = { currency: ['id', 'code'] };

/**
 * Whether a `fields` list asks for more of a linked record than its id or its fixed fields (`client{id,name}`,
 * not `matter{id}` or `currency{code}`).
 */
export function readsLinkedRecords(fields: string | undefined): boolean {
  for (const [, link, inner] of (fields ?? '').matchAll(/(\w+)\{([^}]*)\}/g)) {
    const fixed = FIXED_LINK_FIELDS[link!] ?? ['id'];
    if (inner!.split(',').some((f) => !fixed.includes(f.trim()))) return true;
  }
  return false;
}

function parseJson<T>(answer: Answer): T {
  if (answer.text.length === 0) return undefined as T;
  try {
    return JSON.parse(answer.text) as T;
  } catch {
    throw new ClioApiError(
      `Clio answered ${answer.status} with a body that is not JSON`,
      answer.status,
      'BadResponse',
      true,
    );
  }
}
