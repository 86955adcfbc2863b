import { type ErrorRequestHandler, type RequestHandler } from 'express';
import { AppError } from '../errors';
import { isTemporalUnreachable, temporalUnavailable } from '../temporal-timeout';

/** Answers every failure as `{error:{code,message,details}}`; never a stack trace, never a crash. */
export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  const appError = toAppError(err);
  if (appError.status >= 500) req.log.error({ err }, 'request failed');
  else req.log.info({ code: appError.code, status: appError.status }, 'request refused');
  if (res.headersSent) {
    res.end();
    return;
  }
  for (const [k, v] of Object.entries(appError.headers ?? {})) res.setHeader(k, v);
  res.status(appError.status).json({
    error: {
      code: appError.code,
      message: appError.message,
      ...(appError.details ? { details: appError.details } : {}),
    },
  });
};

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError(404, 'route_not_found', `No route ${req.method} ${req.path}`));
};

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (isTemporalUnreachable(err)) return temporalUnavailable();
  const e = err as { type?: string; status?: number; statusCode?: number; limit?: number };
  // body-parser's errors carry a status and a type; they are the client's fault, so say which.
  switch (e.type) {
    case 'entity.parse.failed':
      return new AppError(400, 'invalid_json', 'The body is not valid JSON', {
        fields: [{ field: 'body', reason: 'is not valid JSON' }],
      });
    case 'entity.too.large':
      return new AppError(413, 'body_too_large', `The body is larger than ${e.limit ?? 'the limit'} bytes`, {
        fields: [{ field: 'body', reason: `is larger than ${e.limit ?? 'the limit'} bytes` }],
      });
    case 'encoding.unsupported':
      return new AppError(415, 'unsupported_encoding', 'The body encoding is not supported', {
        fields: [{ field: 'header.content-encoding', reason: 'is not a supported encoding' }],
      });
    case 'charset.unsupported':
      return new AppError(415, 'unsupported_encoding', 'The body encoding is not supported', {
        fields: [{ field: 'header.content-type', reason: 'names a charset other than utf-8' }],
      });
    default:
      break;
  }
  const status = e.status ?? e.statusCode;
  // The router could not percent-decode a path segment (`/v1/matters/%E0`).
  if (status === 400 && err instanceof URIError) {
    return new AppError(400, 'invalid_request', 'Invalid request: the path is not valid percent-encoding', {
      fields: [{ field: 'path', reason: 'is not valid percent-encoding' }],
    });
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Whatever else the parsers refused (a body that does not decompress, ...) was in the body.
    return new AppError(status, 'bad_request', 'The request could not be read', {
      fields: [{ field: 'body', reason: 'could not be read' }],
    });
  }
  return new AppError(
    500,
    'internal_error',
    'Something went wrong on our side; the request id in the logs says what',
  );
}
