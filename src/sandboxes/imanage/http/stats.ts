import { type RequestHandler } from 'express';

/** Request counts by status and by route template, since start or the last reset. */
export class Stats {
  byStatus: Record<string, number> = {};
  byRoute: Record<string, number> = {};

  reset(): void {
    this.byStatus = {};
    this.byRoute = {};
  }

  snapshot(): { byStatus: Record<string, number>; byRoute: Record<string, number> } {
    return { byStatus: { ...this.byStatus }, byRoute: { ...this.byRoute } };
  }

  middleware(): RequestHandler {
    return (req, res, next) => {
      if (req.path.startsWith('/_sandbox')) return next();
      let counted = false;
      const count = (): void => {
        if (counted) return;
        counted = true;
        // The matched route's own pattern, `:name` shown as `{name}`, keeps ids out of the keys.
        const pattern = (req.route as { path?: unknown } | undefined)?.path;
        const template = typeof pattern === 'string' ? pattern.replace(/:(\w+)/g, '{$1}') : '(unmatched)';
        const route = `${req.method} ${template}`;
        const status = String(res.statusCode);
        this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
        this.byRoute[route] = (this.byRoute[route] ?? 0) + 1;
      };
      res.on('finish', count);
      res.on('close', count);
      next();
    };
  }
}
