import { STATUS_CODES } from 'node:http';
import { type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import { AppError } from '../errors';
import { isTemporalUnreachable, temporalUnavailable } from '../temporal-timeout';
import { bodyNotAnObject, isJsonButNotObject } from '../validation';

/** Answers every failure as `{error:{code,message,details}}`; never a stack trace, never a crash. */
export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  const appError = toAppError(err, req);
  if (appError.code === 'internal_error') req.log.error({ err }, 'request failed');
  else if (appError.status >= 500)
    // Expected outages (Clio or Temporal unreachable, rate limits): why, in one line, without a stack.
    req.log.warn(
      { code: appError.code, status: appError.status, cause: causeOf(appError) },
      'request answered unavailable',
    );
  else req.log.info({ code: appError.code, status: appError.status }, 'request refused');
  if (res.headersSent) {
    res.end();
    return;
  }
  // A handler may have described what it meant to send before it failed (a static file's type and validators).
  res.removeHeader('etag');
  res.removeHeader('last-modified');
  res.setHeader('content-type', 'application/json; charset=utf-8');
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

/** What the body parsers refuse with, when they give no `type` (a body that does not decompress is a 400). */
const BODY_STATUSES = new Set([400, 403, 413, 415]);

function toAppError(err: unknown, req: Request): AppError {
  if (err instanceof AppError) return err;
  if (isTemporalUnreachable(err)) return temporalUnavailable(err);
  const e = err as { type?: string; status?: number; statusCode?: number; limit?: number };
  // body-parser's errors carry a status and a type; they are the client's fault, so say which.
  switch (e.type) {
    case 'entity.parse.failed':
      // `null`, `42`, `"text"`: JSON, but not what any route takes.
      if (isJsonButNotObject((err as { body?: unknown }).body)) return bodyNotAnObject();
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
  // Conditional and range requests the static files (the docs page's) cannot meet; a GET has no body to blame.
  if (status === 412) {
    const header = req.headers['if-match'] !== undefined ? 'if-match' : 'if-unmodified-since';
    return new AppError(412, 'precondition_failed', `The ${header} header does not hold for this resource`, {
      fields: [{ field: `header.${header}`, reason: 'does not hold for this resource' }],
    });
  }
  if (status === 416) {
    return new AppError(416, 'range_not_satisfiable', 'The range asked for is outside the resource', {
      fields: [{ field: 'header.range', reason: 'is outside the resource' }],
    });
  }
  if (typeof status === 'number' && BODY_STATUSES.has(status)) {
    // Whatever else the parsers refused (a body that does not decompress, ...) was in the body.
    return new AppError(status, 'bad_request', 'The request could not be read', {
      fields: [{ field: 'body', reason: 'could not be read' }],
    });
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const text = STATUS_CODES[status] ?? 'Bad Request';
    return new AppError(status, text.toLowerCase().replace(/[^a-z]+/g, '_'), text);
  }
  return new AppError(
    500,
    'internal_error',
    'Something went wrong on our side; the request id in the logs says what',
  );
}

/** The error under an answer, as one line: its kind, status and message (the logger scrubs secrets from it). */
function causeOf(err: Error): string | undefined {
  if (!(err.cause instanceof Error)) return undefined;
  const cause = err.cause as Error & { type?: string; status?: number };
  const kind = [cause.type ?? cause.name, cause.status].filter((x) => x !== undefined).join(' ');
  return `${kind}: ${cause.message}`;
}
