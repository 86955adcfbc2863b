import type { Request } from 'express';
import type { Doc, RecordStore, SqlCondition } from '../state/record-store';

const MAX_LIMIT = 200;

/** Stored records already are the answer shape; links stay `{ id }` as Grow's answers show them. */
export const leadView = (lead: Doc): Doc => ({ ...lead });

/**
 * Grow (Clio Platform) paging: `limit` and an opaque `page_token`; `meta.next_page_token` is left
 * out on the last page.
 */
export function listPage(
  req: Request,
  store: RecordStore,
  collection: string,
  where: SqlCondition[],
  view: (d: Doc) => Doc,
): { data: Doc[]; meta: Record<string, unknown> } {
  const limit = Math.min(
    MAX_LIMIT,
    Math.max(1, Number.parseInt(typeof req.query.limit === 'string' ? req.query.limit : '50', 10) || 50),
  );
  const token = typeof req.query.page_token === 'string' ? req.query.page_token : undefined;
  const afterId = token ? Number(Buffer.from(token, 'base64url').toString()) || undefined : undefined;
  const rows = store.list(collection, { where, afterId, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const next = rows.length > limit && last ? Buffer.from(String(last.id)).toString('base64url') : undefined;
  return { data: page.map(view), meta: next ? { next_page_token: next } : {} };
}
