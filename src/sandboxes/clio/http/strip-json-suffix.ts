import type { RequestHandler } from 'express';

/** Clio serves every path with and without `.json`; routes are declared once, without it. */
export const stripJsonSuffix: RequestHandler = (req, _res, next) => {
  const q = req.url.indexOf('?');
  const path = q === -1 ? req.url : req.url.slice(0, q);
  if (path.endsWith('.json')) req.url = path.slice(0, -5) + (q === -1 ? '' : req.url.slice(q));
  next();
};
