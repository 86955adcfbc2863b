import { type ErrorRequestHandler, type RequestHandler } from 'express';
import multer from 'multer';
import { type Logger } from 'pino';
import { ImanageError, badRequest, notFound } from '../errors';

/** Translates every failure into iManage's envelope; only unexpected ones are logged (never with bodies). */
export function errorHandler(logger: Logger | undefined): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (res.headersSent) return;
    let e: ImanageError;
    if (err instanceof ImanageError) e = err;
    else if (err instanceof multer.MulterError) e = badRequest(`Upload rejected: ${err.message}.`);
    else if (isClientHttpError(err))
      e = new ImanageError(err.status, 'INVALID_REQUEST', 'The request body could not be read.');
    else {
      logger?.error({ err, method: req.method, path: req.path }, 'iManage sandbox: unexpected error');
      e = new ImanageError(500, 'INTERNAL_ERROR', 'Unexpected server error.');
    }
    res.status(e.status).json(e.toBody());
  };
}

/** Body parsers raise errors carrying a 4xx `status` (malformed JSON, too large). */
function isClientHttpError(err: unknown): err is { status: number } {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

export const notFoundHandler: RequestHandler = (req) => {
  throw notFound(`Resource '${req.method} ${req.path}'`);
};
