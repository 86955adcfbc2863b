import type { RequestHandler } from 'express';
import type { SandboxState } from '../state/sandbox-state';

/** Counts every non-control answer; a connection dropped before answering counts as "dropped". */
export function statsMiddleware(state: SandboxState): RequestHandler {
  return (req, res, next) => {
    if (req.path.startsWith('/_sandbox')) return next();
    const path = req.path;
    let counted = false;
    const count = (status: number | 'dropped'): void => {
      if (counted) return;
      counted = true;
      state.stats.record(req.method, path, status);
    };
    res.on('finish', () => count(res.statusCode));
    res.on('close', () => count(res.writableFinished ? res.statusCode : 'dropped'));
    next();
  };
}
