import { type RequestHandler } from 'express';
import { type Logger } from 'pino';

/**
 * One debug line per API call: method, path, status and time. Headers, bodies and query strings are left out,
 * since tokens and passwords travel in them.
 */
export function requestLog(logger: Logger | undefined): RequestHandler {
  return (req, res, next) => {
    if (!logger?.isLevelEnabled('debug')) return next();
    const started = process.hrtime.bigint();
    res.on('close', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const dropped = res.locals.dropped === true;
      logger.debug(
        { method: req.method, path: req.path, status: res.statusCode, ms, dropped },
        'iManage sandbox request',
      );
    });
    next();
  };
}
