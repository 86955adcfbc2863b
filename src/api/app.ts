import express, { type Express, type Request, type RequestHandler } from 'express';
import { type PayloadCodec } from '@temporalio/common';
import { type AuditStore } from '../audit';
import { createCodecRouter } from '../temporal/codec';
import { auditRouter } from './routes/audit';
import { readsRouter } from './routes/reads';
import { clioOAuthCallbackRouter, clioOAuthStartRouter, type ClioOAuthDeps } from './routes/clio-oauth';
import { type ClioClient } from '../integrations/clio/clio-client';
import { type CursorCodec } from './cursor';
import helmet from 'helmet';
import { type Client } from '@temporalio/client';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import { accessLogger, loggableUrl, type Logger } from '../logging/logger';
import { type Readiness } from './readiness';
import { type ApiMetrics } from './metrics';
import { perKeyRateLimit } from './middleware/rate-limit';
import { authenticate } from './middleware/authenticate';
import { type ApiKeyResolver } from './auth/principal';
import { type RefusalGuard } from './auth/refusals';
import { errorHandler, notFoundHandler } from './middleware/error-handler';
import { requireJson } from './middleware/require-json';
import { limitJsonDepth } from './middleware/json-depth';
import { idempotency } from './idempotency';
import { type IdempotencyRepository } from '../store/idempotency-repository';
import { docsRouter } from './routes/docs';
import { parseQueryString } from './validation';
import { metricsRouter } from './routes/metrics';
import { healthRouter } from './routes/health';
import { timeEntriesRouter } from './routes/time-entries';
import { workflowsRouter } from './routes/workflows';
import { sessionsRouter } from './routes/sessions';
import { type SessionStore } from '../sessions/session-store';
import { type SessionLink } from '../sessions/session-link';
import { type PortalPaths } from '../integrations/clio-portal/types';
import { billPdfRouter } from './routes/bill-pdf';
import { webhooksRouter } from './routes/webhooks';
import { type TemporalTimeout } from './temporal-timeout';
import { type WebhookRepository } from '../webhooks/repository';
import { type UrlPolicy } from '../webhooks/url-policy';

export interface AppDeps {
  logger: Logger;
  temporal: Client;
  /** Bounds every Temporal call a request makes (past it, 503); shutdown waits for the calls to settle. */
  within: TemporalTimeout;
  resolveApiKey: ApiKeyResolver;
  /** Where refusals of keys that are not valid are counted per client address (shared with the codec's access). */
  refusals?: RefusalGuard;
  idempotencyStore: IdempotencyRepository;
  idempotencyTtlMs: number;
  /** How long a request holds its Idempotency-Key while it is answered (IDEMPOTENCY_LEASE_SECONDS). */
  idempotencyLeaseMs: number;
  /** Keys the request hashes stored with idempotent answers (derived from DATA_ENCRYPTION_KEY). */
  idempotencyHashKey: Buffer;
  readiness: () => Promise<Readiness>;
  sessionStore: SessionStore;
  /** The tenants' clioSession workflows (bill PDFs come through the web session). */
  sessionLink: SessionLink;
  /** Where the Clio web app is, for what only it serves (bill PDFs). */
  portal: { baseUrl: string; paths: PortalPaths };
  metrics: ApiMetrics;
  /** METRICS_TOKEN: the Bearer token /metrics asks for; unset, /metrics is open. */
  metricsToken?: string;
  rateLimitPerMinute: number;
  /** Proxies believed about the client's address (TRUST_PROXY); default loopback. */
  trustProxy?: string[];
  audit: AuditStore;
  /** The tenant's Clio client (shared rate budget and ETag cache) for normalized reads. */
  clio: (tenant: string) => ClioClient;
  cursors: CursorCodec;
  clioOAuth: ClioOAuthDeps;
  /** The payload codec the Temporal UI decodes through; who may use it is decided by `authorizeCodec`. */
  codec: PayloadCodec;
  codecAllowedOrigins: string[];
  authorizeCodec: (req: Request) => Promise<boolean>;
  webhooks: WebhookRepository;
  webhookUrlPolicy: UrlPolicy;
}

function unlessBodiless(handler: RequestHandler): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') next();
    else void handler(req, res, next);
  };
}

/** The HTTP API, without listen(): tests and the server composition root both build it from injected parts. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Express would hash every JSON body for a weak ETag; the reads revalidate against Clio instead.
  app.set('etag', false);
  // Whose X-Forwarded-For names the client: by default only a proxy on this host (TRUST_PROXY).
  app.set('trust proxy', deps.trustProxy ?? ['loopback']);
  // Express's own parser, but a parameter that is not valid percent-encoding is a 400 naming it.
  app.set('query parser', parseQueryString);
  app.use(
    pinoHttp({
      logger: accessLogger(deps.logger),
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      // A 500 is ours and logged with its stack by the error handler; other 5xx are outages it logs as warnings.
      customLogLevel: (_req, res, err) =>
        err || res.statusCode === 500 ? 'error' : res.statusCode >= 500 ? 'warn' : 'info',
      customErrorMessage: (_req, res) => `request answered ${res.statusCode}`,
      // pino-http makes up an Error for every 5xx ("failed with status code"): a stack of its own internals.
      customErrorObject: (_req, _res, _err, val: Record<string, unknown>) => ({ ...val, err: undefined }),
      // Probes poll every few seconds; their answers are in /readyz itself, not worth a log line each.
      autoLogging: {
        ignore: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics',
      },
      // Headers carry credentials; the request line and status are what an operator needs. Unwrapped, the
      // serializers read only these fields, not pino's full copy of each request (socket address, headers, query).
      wrapSerializers: false,
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: loggableUrl(req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(
    helmet({
      // The docs page runs Swagger UI's own scripts from this origin; everything else stays strict.
      contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'img-src': ["'self'", 'data:'] } },
    }),
  );
  app.use(deps.metrics.middleware);
  // Before the JSON and auth middleware: the codec server has its own CORS, body limit and authorization.
  app.use(
    '/codec',
    createCodecRouter({
      codec: deps.codec,
      authorize: deps.authorizeCodec,
      allowedOrigins: deps.codecAllowedOrigins,
    }),
  );
  // Who is asking, and whether they may ask again, before any body is read: parsing a megabyte of JSON for a
  // request without a valid key would let anyone spend the API's CPU.
  app.use('/v1', authenticate(deps.resolveApiKey, { guard: deps.refusals }));
  app.use('/v1', perKeyRateLimit(deps.rateLimitPerMinute));
  // Reads carry no body: only the other methods go through the content-type check and the JSON parser.
  app.use(unlessBodiless(requireJson));
  app.use(unlessBodiless(express.json({ limit: '1mb', strict: true })));
  app.use(unlessBodiless(limitJsonDepth(32)));
  app.use(
    '/v1',
    idempotency(
      deps.idempotencyStore,
      deps.idempotencyTtlMs,
      deps.idempotencyHashKey,
      deps.idempotencyLeaseMs,
    ),
  );
  // Reads first: integrations poll them, and every router passed on the way costs each poll a little.
  app.use(readsRouter({ clio: deps.clio, cursors: deps.cursors }));
  const { within } = deps;
  app.use(timeEntriesRouter({ temporal: deps.temporal, within, metrics: deps.metrics }));
  app.use(workflowsRouter({ temporal: deps.temporal, within }));
  app.use(auditRouter({ audit: deps.audit, cursors: deps.cursors }));
  app.use(
    billPdfRouter({
      clio: deps.clio,
      sessionStore: deps.sessionStore,
      sessionLink: deps.sessionLink,
      within,
      portal: deps.portal,
    }),
  );
  app.use(clioOAuthStartRouter(deps.clioOAuth));
  app.use(
    sessionsRouter({
      temporal: deps.temporal,
      audit: deps.audit,
      within,
      sessionStore: deps.sessionStore,
      sessionLink: deps.sessionLink,
    }),
  );
  app.use(webhooksRouter({ webhooks: deps.webhooks, urlPolicy: deps.webhookUrlPolicy, audit: deps.audit }));
  // Unauthenticated GETs (none under /v1, so the key checks above pass them by) after the API routes.
  app.use(healthRouter({ readiness: deps.readiness }));
  app.use(docsRouter());
  app.use(metricsRouter({ metrics: deps.metrics, token: deps.metricsToken, refusals: deps.refusals }));
  app.use(clioOAuthCallbackRouter(deps.clioOAuth));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
