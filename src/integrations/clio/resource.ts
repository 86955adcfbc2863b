import { z } from 'zod';
import { ClioApiError } from './errors';
import { type ClioHttpClient, type Query } from './http-client';

export interface ListPageOptions {
  /** Clio's page token from the previous page (opaque: hand it back as it came). */
  pageToken?: string;
  /** 1..200 (Clio's maximum for most endpoints). */
  limit?: number;
  /** Clio's filters as query parameters (`status`, `matter_id`, `updated_since`, arrays as `ids: [..]`). */
  filters?: Query;
  /** Replaces the default field selection; it must still include what the record's schema requires. */
  fields?: string;
}

/** A list page; shared between readers of the same unchanged answer, so frozen (copy before changing). */
export interface Page<T> {
  readonly data: readonly T[];
  readonly nextPageToken?: string;
}

export interface WriteOptions {
  fields?: string;
  /** Optimistic concurrency: Clio answers 412 when the record changed since this etag. */
  ifMatch?: string;
}

const pageMeta = z
  .object({ paging: z.object({ next: z.string().nullish() }).partial().nullish() })
  .partial()
  .nullish();
const showEnvelope = z.object({ data: z.unknown() });

/**
 * One Clio collection (`matters`, `activities`, ...): ETag-aware reads, cursor pages and writes, every
 * answer parsed into the normalized record type by `schema`.
 */
export class ClioResource<T> {
  /** The list envelope and its records in one schema: one pass over a page instead of one per record. */
  private readonly pageSchema: z.ZodType<{ data: T[]; meta?: z.infer<typeof pageMeta> }>;
  constructor(
    protected readonly http: ClioHttpClient,
    /** Path under /api/v4 without `.json`, e.g. `matters` or `utbms/codes`. */
    readonly path: string,
    private readonly schema: z.ZodType<T>,
    readonly defaultFields: string,
  ) {
    this.pageSchema = z.object({ data: z.array(schema), meta: pageMeta });
  }

  get(id: string, opts: { fields?: string } = {}): Promise<T> {
    return this.http.getRecord(
      `${this.path}/${encodeURIComponent(id)}.json`,
      { fields: opts.fields ?? this.defaultFields },
      (raw) => this.parseShow(raw),
    );
  }

  /**
   * One page in id order (cursor paging: Clio requires `order=id(asc)` for it). Asked of Clio every time; an
   * answer identical to the last one for the same query is not parsed again (the same frozen page comes back).
   */
  listPage(opts: ListPageOptions = {}): Promise<Page<T>> {
    const query = { ...opts.filters, order: 'id(asc)', limit: opts.limit ?? 200, page_token: opts.pageToken };
    return this.http.getParsed(
      `${this.path}.json`,
      { fields: opts.fields ?? this.defaultFields, query },
      (raw): Page<T> => {
        const page = this.pageSchema.safeParse(raw);
        if (!page.success) throw badShape(this.path, page.error);
        return { data: page.data.data, nextPageToken: pageTokenOf(page.data.meta?.paging?.next) };
      },
    );
  }

  /** Every record matching `filters`, page after page (Clio's page tokens are only valid in sequence). */
  async *list(
    filters: Query = {},
    opts: Omit<ListPageOptions, 'filters' | 'pageToken'> = {},
  ): AsyncGenerator<T> {
    let pageToken: string | undefined;
    do {
      const page = await this.listPage({ ...opts, filters, pageToken });
      yield* page.data;
      pageToken = page.nextPageToken;
    } while (pageToken);
  }

  /** POST with Clio's `{data: ...}` body (wire field names); answers the created record. */
  async create(data: Record<string, unknown>, opts: WriteOptions = {}): Promise<T> {
    const raw = await this.http.request<unknown>('POST', `${this.path}.json`, {
      fields: opts.fields ?? this.defaultFields,
      body: { data },
    });
    return this.parseShow(raw);
  }

  async update(id: string, data: Record<string, unknown>, opts: WriteOptions = {}): Promise<T> {
    const raw = await this.http.request<unknown>('PATCH', `${this.path}/${encodeURIComponent(id)}.json`, {
      fields: opts.fields ?? this.defaultFields,
      body: { data },
      headers: opts.ifMatch ? { 'if-match': opts.ifMatch } : undefined,
    });
    return this.parseShow(raw);
  }

  async delete(id: string): Promise<void> {
    await this.http.request<unknown>('DELETE', `${this.path}/${encodeURIComponent(id)}.json`);
  }

  protected parseShow(raw: unknown): T {
    const env = showEnvelope.safeParse(raw);
    if (!env.success) throw badShape(this.path, env.error);
    return this.parseRecord(env.data.data);
  }

  private parseRecord(raw: unknown): T {
    const rec = this.schema.safeParse(raw);
    if (!rec.success) throw badShape(this.path, rec.error);
    return rec.data;
  }
}

/** Clio's answer did not have the shape we rely on: retrying gets the same answer, so not retryable. */
function badShape(path: string, error: z.ZodError): ClioApiError {
  const where = error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return new ClioApiError(
    `Clio's answer from ${path} has an unexpected shape: ${where.join('; ')}`,
    undefined,
    'BadResponse',
    false,
  );
}

/** `meta.paging.next` is a full URL; the service keeps only its page_token, as an opaque cursor. */
export function pageTokenOf(next: string | null | undefined): string | undefined {
  if (!next) return undefined;
  return new URL(next).searchParams.get('page_token') ?? undefined;
}
