import type { RequestHandler } from 'express';
import type { SandboxState } from '../state/sandbox-state';

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/**
 * Injects the configured faults before any work: latency, then a random 500/503 (nothing done).
 * For commit-then-drop, a successful write is committed as usual and then the socket is destroyed
 * instead of answering, which is what a client sees when a response is lost after the server acted.
 */
export function faultMiddleware(state: SandboxState): RequestHandler {
  return (req, res, next) => {
    const faults = state.getFaults();
    const proceed = (): void => {
      if (faults.errorRate > 0 && Math.random() < faults.errorRate) {
        const status = Math.random() < 0.5 ? 500 : 503;
        res.status(status).json({
          error: {
            type: status === 500 ? 'InternalServerError' : 'ServiceUnavailable',
            message: 'Injected fault',
          },
        });
        return;
      }
      if (
        WRITE_METHODS.has(req.method) &&
        faults.commitThenDropRate > 0 &&
        Math.random() < faults.commitThenDropRate
      ) {
        const send = res.send.bind(res);
        res.send = (body?: unknown) => {
          if (res.statusCode >= 200 && res.statusCode < 300) {
            res.socket?.destroy();
            return res;
          }
          return send(body);
        };
        // An empty 204 goes through end(), not send().
        const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
        res.end = ((...args: unknown[]) => {
          if (res.statusCode >= 200 && res.statusCode < 300) {
            res.socket?.destroy();
            return res;
          }
          return end(...args);
        }) as typeof res.end;
      }
      next();
    };
    if (faults.latencyMs > 0) setTimeout(proceed, faults.latencyMs);
    else proceed();
  };
}
