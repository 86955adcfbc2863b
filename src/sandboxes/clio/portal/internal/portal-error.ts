import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { ClioError } from '../../http/errors';

/**
 * A refusal of an internal endpoint. `rule` names the business rule broken (for example
 * `trust_balance_insufficient`), so the service can report it without parsing the message.
 */
export class PortalError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly rule?: string,
  ) {
    super(message);
  }
}

export const ruleBroken = (rule: string, message: string): PortalError =>
  new PortalError(422, 'UnprocessableEntity', message, rule);
export const notFound = (what: string): PortalError =>
  new PortalError(404, 'RecordNotFound', `${what} could not be found`);
export const badRequest = (message: string): PortalError => new PortalError(400, 'BadRequest', message);

/** JSON errors for /internal: `{ error: { type, message, rule? } }`, the shape Clio's own API uses. */
export function portalErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof PortalError) {
      res
        .status(err.status)
        .json({ error: { type: err.type, message: err.message, ...(err.rule ? { rule: err.rule } : {}) } });
      return;
    }
    // Shared API helpers (matter and contact creation) refuse with the API's own error type.
    if (err instanceof ClioError) {
      res.status(err.status).json({ error: { type: err.type, message: err.message } });
      return;
    }
    const parser = err as { type?: string; status?: number };
    if (parser?.type === 'entity.parse.failed' || parser?.type === 'entity.too.large') {
      res
        .status(parser.status ?? 400)
        .json({ error: { type: 'BadRequest', message: 'The request body could not be parsed' } });
      return;
    }
    logger.error({ err }, 'clio portal: unexpected error');
    res.status(500).json({ error: { type: 'InternalServerError', message: 'An unexpected error occurred' } });
  };
}
