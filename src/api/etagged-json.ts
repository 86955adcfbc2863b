import etag from 'etag';
import { type Request, type Response } from 'express';
import fresh from 'fresh';

/** A JSON answer serialized once, with a strong ETag of its bytes. */
export interface EtaggedJson {
  body: Buffer;
  etag: string;
}

export function etaggedJson(value: unknown): EtaggedJson {
  const body = Buffer.from(JSON.stringify(value));
  return { body, etag: etag(body) };
}

/**
 * Sends a read with its ETag, or 304 and no body when the client's If-None-Match names it. The precondition is
 * evaluated as an origin server must (RFC 9110 §13), whatever Cache-Control the request carries: fetch() adds
 * `no-cache` to every conditional request, which Express's own check takes as a reload and answers in full.
 * `private, no-cache`: these are a firm's records, kept only by the client's own cache and only to revalidate.
 */
export function sendEtaggedJson(req: Request, res: Response, answer: EtaggedJson): void {
  res.setHeader('cache-control', 'private, no-cache');
  res.setHeader('etag', answer.etag);
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch && fresh({ 'if-none-match': ifNoneMatch }, { etag: answer.etag })) {
    res.status(304).end();
    return;
  }
  // Straight to Node: the body is bytes already, so Express's send (type guessing, length, its own ETag
  // freshness check) has nothing left to do.
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', answer.body.length);
  res.end(answer.body); // Node leaves the body out of an answer to HEAD
}
