import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';

/** An API v4 error, answered as Clio does: `{ error: { type, message } }`. */
export class ClioError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string): ClioError => new ClioError(400, 'BadRequest', message);
export const notFound = (what: string): ClioError =>
  new ClioError(404, 'RecordNotFound', `${what} could not be found`);
export const unprocessable = (message: string): ClioError => new ClioError(422, 'InvalidFields', message);
export const forbidden = (message: string): ClioError => new ClioError(403, 'Forbidden', message);
export const conflict = (message: string): ClioError => new ClioError(409, 'Conflict', message);
export const preconditionFailed = (): ClioError =>
  new ClioError(
    412,
    'PreconditionFailed',
    'The resource has been modified since it was last read (If-Match did not match)',
  );

/** An OAuth-style error (token endpoint and bearer checks): `{ error, error_description }`. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
  ) {
    super(description);
  }
}

interface BodyParserError {
  type?: string;
  status?: number;
}

/** The last handler: every failure becomes a well-formed answer; nothing escapes to crash the process. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof OAuthError) {
      if (err.status === 401) res.setHeader('WWW-Authenticate', `Bearer error="${err.code}"`);
      res.status(err.status).json({ error: err.code, error_description: err.description });
      return;
    }
    if (err instanceof ClioError) {
      res.status(err.status).json({ error: { type: err.type, message: err.message } });
      return;
    }
    const parserError = err as BodyParserError;
    if (
      parserError?.type === 'entity.parse.failed' ||
      parserError?.type === 'entity.too.large' ||
      parserError?.status === 400
    ) {
      res
        .status(parserError.status ?? 400)
        .json({ error: { type: 'BadRequest', message: 'The request body could not be parsed' } });
      return;
    }
    logger.error({ err }, 'clio sandbox: unexpected error');
    res.status(500).json({ error: { type: 'InternalServerError', message: 'An unexpected error occurred' } });
  };
}
