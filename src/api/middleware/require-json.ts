import { type RequestHandler } from 'express';
import { AppError } from '../errors';

/** Writes must say they send JSON; a form or text body would otherwise be read as an empty object. */
export const requireJson: RequestHandler = (req, _res, next) => {
  if (req.method !== 'POST' && req.method !== 'PUT' && req.method !== 'PATCH') return next();
  const hasBody = req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0';
  if ((hasBody || req.headers['transfer-encoding'] !== undefined) && !req.is('application/json')) {
    return next(
      new AppError(415, 'unsupported_media_type', 'Send the body as application/json', {
        fields: [{ field: 'header.content-type', reason: 'must be application/json' }],
      }),
    );
  }
  next();
};
