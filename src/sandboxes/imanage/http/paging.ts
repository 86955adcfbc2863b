import { z } from 'zod';
import { type Page } from '../state/store';

/** iManage's public material names no page-size limits; 100 matches what integrators default to. */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

export const PagingSchema = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .default(DEFAULT_LIMIT)
    .transform((n) => Math.min(n, MAX_LIMIT)),
  total: z.enum(['true', 'false']).optional(),
});

export type Paging = z.infer<typeof PagingSchema>;

/** Lists answer `{ data: { results } }`, plus `total_count` only when the client asked with `total=true`. */
export function listBody<T>(page: Page<T>, paging: Paging): { data: { results: T[] }; total_count?: number } {
  return paging.total === 'true'
    ? { data: { results: page.results }, total_count: page.total }
    : { data: { results: page.results } };
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
