import type { Request, Response } from 'express';
import type { ApiVersion } from '../http/api-version';
import { parseFields } from '../http/fields-param';
import { renderContext, renderRecord } from '../http/render';
import type { Doc } from '../state/record-store';
import type { SandboxState } from '../state/sandbox-state';
import type { ApiContext } from './resource-def';
import type { ResourceMeta } from './resource-meta';

export function apiContext(state: SandboxState, req: Request, res: Response): ApiContext {
  return { state, req, userId: res.locals.userId as number, version: res.locals.apiVersion as ApiVersion };
}

/** Single-record answers carry ETag and Last-Modified, as Clio's do. */
export function setRecordHeaders(res: Response, doc: Doc): void {
  res.setHeader('ETag', String(doc.etag));
  res.setHeader('Last-Modified', new Date(String(doc.updated_at)).toUTCString());
}

/** `{ data: record }` shaped by the request's `fields`. */
export function sendRecord(ctx: ApiContext, res: Response, meta: ResourceMeta, doc: Doc, status = 200): void {
  const fields = parseFields(ctx.req.query.fields, meta.schema);
  const data = renderRecord(renderContext(ctx.state.store, ctx.version, ctx.req.query), meta, doc, fields);
  setRecordHeaders(res, doc);
  res.status(status).json({ data });
}

/** Conditional GET: If-None-Match on the etag, else If-Modified-Since on updated_at. */
export function notModified(req: Request, doc: Doc): boolean {
  const inm = req.header('if-none-match');
  if (inm !== undefined)
    return inm
      .split(',')
      .map((s) => s.trim().replace(/^W\//, ''))
      .includes(String(doc.etag));
  const ims = req.header('if-modified-since');
  if (ims !== undefined) {
    const since = Date.parse(ims);
    // HTTP dates have whole seconds; compare at that precision.
    return !Number.isNaN(since) && Math.floor(Date.parse(String(doc.updated_at)) / 1000) * 1000 <= since;
  }
  return false;
}

/** If-Match on writes: a stale etag means someone else changed the record first. */
export function ifMatchFails(req: Request, doc: Doc): boolean {
  const im = req.header('if-match');
  if (im === undefined || im.trim() === '*') return false;
  return !im
    .split(',')
    .map((s) => s.trim())
    .includes(String(doc.etag));
}
