import { z } from 'zod';
import { type Page } from '../state/store';

/** iManage's public material names no page-size limits; 100 matches what integrators default to. */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/**
 * iManage's cursor is opaque (reference §6: "when more items exist than `limit`, a cursor is returned"); ours
 * carries the offset of the next page. Only cursors this server gave are taken.
 */
const encodeCursor = (offset: number): string => Buffer.from(`o:${offset}`).toString('base64url');

function decodeCursor(raw: string): number | undefined {
  const m = /^o:(\d+)$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

export const PagingSchema = z
  .object({
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .default(DEFAULT_LIMIT)
      .transform((n) => Math.min(n, MAX_LIMIT)),
    total: z.enum(['true', 'false']).optional(),
    cursor: z
      .string()
      .optional()
      .transform((c, ctx) => {
        if (c === undefined) return undefined;
        const offset = decodeCursor(c);
        if (offset === undefined) {
          ctx.addIssue({ code: 'custom', message: 'Not a cursor this server returned.' });
          return z.NEVER;
        }
        return offset;
      }),
  })
  // A cursor names the position itself; an offset sent beside it is not added to it.
  .transform(({ cursor, ...p }) => (cursor === undefined ? p : { ...p, offset: cursor }));

export type Paging = z.infer<typeof PagingSchema>;

export interface ListBody<T> {
  data: { results: T[] };
  total_count?: number;
  cursor?: string;
}

/**
 * Lists answer `{ data: { results } }`, plus `total_count` only when the client asked with `total=true`, and a
 * `cursor` to the next page whenever more items match than this page holds.
 */
export function listBody<T>(page: Page<T>, paging: Paging, opts: { cursor?: boolean } = {}): ListBody<T> {
  const body: ListBody<T> = { data: { results: page.results } };
  if (paging.total === 'true') body.total_count = page.total;
  const next = paging.offset + page.results.length;
  if (opts.cursor !== false && page.results.length > 0 && next < page.total) body.cursor = encodeCursor(next);
  return body;
}

/** Query values other than paging, as plain strings (repeated parameters keep their first value). */
export function filtersOf(query: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    if (k === 'offset' || k === 'limit' || k === 'total' || k === 'cursor') continue;
    const first: unknown = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string') out[k] = first;
  }
  return out;
}
