import { type z } from 'zod';
import { type ClioHttpClient, type Query } from './http-client';
import { listEnvelope } from './schemas';

/**
 * Walks an index endpoint with cursor paging (Clio requires `order=id(asc)` for it), yielding parsed records.
 * Pages are read one after another: Clio's page tokens are only valid in sequence.
 */
export async function* paginate<T extends z.ZodType>(
  client: ClioHttpClient,
  path: string,
  item: T,
  opts: { query?: Query; fields: string; limit?: number },
): AsyncGenerator<z.output<T>> {
  const envelope = listEnvelope(item);
  let pageToken: string | undefined;
  do {
    const raw = await client.request<unknown>('GET', path, {
      fields: opts.fields,
      query: { ...opts.query, order: 'id(asc)', limit: opts.limit ?? 200, page_token: pageToken },
    });
    const page = envelope.parse(raw);
    for (const record of page.data) yield record;
    const next = page.meta?.paging?.next;
    pageToken = next ? (new URL(next).searchParams.get('page_token') ?? undefined) : undefined;
  } while (pageToken);
}
