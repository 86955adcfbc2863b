import type { Request } from 'express';
import { badRequest } from './errors';
import { queryString } from './query-value';

export interface PageRequest {
  limit: number;
  order: { field: string; descending: boolean };
  /** Cursor paging (order by id): last id of the previous page. */
  afterId?: number;
  /** Other orders page by offset, as Clio does for non-id orders. */
  offset: number;
}

interface TokenBody {
  a?: number;
  o?: number;
}

/** Page tokens are opaque to clients; inside they carry the cursor (last id) or an offset. */
export const encodePageToken = (body: TokenBody): string =>
  Buffer.from(JSON.stringify(body)).toString('base64url');

function decodePageToken(token: string): TokenBody {
  try {
    const body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as TokenBody;
    if (typeof body !== 'object' || body === null) throw new Error('not an object');
    return body;
  } catch {
    throw badRequest('Invalid page_token');
  }
}

export function parsePaging(query: Request['query'], maxLimit: number, orders: string[]): PageRequest {
  const rawLimit = query.limit;
  let limit = maxLimit;
  if (rawLimit !== undefined) {
    limit = Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1) throw badRequest('Invalid limit: must be a positive integer');
    // Clio clamps to the endpoint's maximum rather than failing.
    limit = Math.min(limit, maxLimit);
  }
  let order = { field: 'id', descending: false };
  const rawOrder = queryString(query.order);
  if (query.order !== undefined) {
    const m = /^([a-z_.]+)\((asc|desc)\)$/.exec(rawOrder ?? '');
    if (!m || !(m[1] === 'id' || orders.includes(m[1] as string)))
      throw badRequest(`Invalid order: ${rawOrder ?? ''}`);
    order = { field: m[1] as string, descending: m[2] === 'desc' };
  }
  const page: PageRequest = { limit, order, offset: 0 };
  if (query.page_token !== undefined) {
    const body = decodePageToken(queryString(query.page_token) ?? '');
    if (typeof body.a === 'number') page.afterId = body.a;
    if (typeof body.o === 'number') page.offset = body.o;
  }
  return page;
}

/** The full URL of the next page: the same request with the new page_token. */
export function nextPageUrl(req: Request, token: string): string {
  const original = new URL(req.originalUrl, `${req.protocol}://${req.get('host') ?? 'localhost'}`);
  original.searchParams.set('page_token', token);
  return original.toString();
}
