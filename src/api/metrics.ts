import { type RequestHandler } from 'express';
import { match } from 'path-to-regexp';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { PERMISSIONS } from './auth/permissions';

/**
 * The route pattern of a request answered before the router matched it: refused by the key check, the rate limit,
 * the JSON parser or the Idempotency-Key check. Found in the permission table, which names every /v1 route.
 */
function knownRoute(): (method: string, path: string) => string | undefined {
  const routes = Object.values(PERMISSIONS as Record<string, { route: string }>).map(({ route }) => {
    const [method, pattern] = route.split(' ') as [string, string];
    return { method, pattern, matches: match(pattern, { decode: false }) };
  });
  return (method, path) =>
    routes.find((r) => (r.method === method || (method === 'HEAD' && r.method === 'GET')) && r.matches(path))
      ?.pattern;
}

/** The API's Prometheus metrics, in a registry of its own (one per app, so tests do not share counters). */
export function createApiMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const workflowStarts = new Counter({
    name: 'workflow_starts_total',
    help: 'Workflows the API started, by type (a request answered with a workflow that already ran is not counted)',
    labelNames: ['type'] as const,
    registers: [registry],
  });

  const routeOf = knownRoute();
  const middleware: RequestHandler = (req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      // The route pattern, not the URL: ids in paths would make one series per record.
      const route = req.route
        ? `${req.baseUrl}${String((req.route as { path: string }).path)}`
        : (routeOf(req.method, pathOf(req.originalUrl)) ?? 'unmatched');
      const labels = { method: req.method, route, status: String(res.statusCode) };
      requests.inc(labels);
      end(labels);
    });
    next();
  };

  return { registry, middleware, workflowStarts };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
