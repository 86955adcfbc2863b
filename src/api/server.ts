import { createHash } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import { clioClientsFromConfig, clioOAuthClient, clioTokenStore } from '../config/clio-clients';
import { type RateBudgetRegistry } from '../integrations/clio/rate-budget-registry';
import { stateKeyFrom } from '../integrations/clio/oauth/oauth-state';
import { createCursorCodec } from './cursor';
import { type AddressInfo } from 'node:net';
import { type Client } from '@temporalio/client';
import { type Config } from '../config';
import { type Logger } from '../logging/logger';
import { type Database } from '../store/database';
import { createIdempotencyRepository } from '../store/idempotency-repository';
import { createOperationsLedger } from '../store/operations-ledger';
import { createApp } from './app';
import { answerClientError } from './client-error';
import { gracefulClose } from './graceful-close';
import { createSessionLink, createSessionStore, sessionKey, sessionSettings } from '../sessions';
import { DEFAULT_PORTAL_PATHS } from '../integrations/clio-portal/types';
import { refusalGuard } from './auth/refusals';
import { SANDBOX_KEYS } from './auth/sandbox-keys';
import { codecAccess } from './codec-access';
import { type ApiKeyResolver } from './auth/principal';
import { checkReadiness } from './readiness';
import { temporalTimeout } from './temporal-timeout';
import { createApiMetrics } from './metrics';
import { createApiKeyRepository } from './auth/api-keys';
import { cachedApiKeyResolver } from './auth/api-key-cache';
import { createSecretBox, parseKey } from '../crypto/secret-box';
import { createWebhookRepository } from '../webhooks/repository';
import { createOAuthStateLedger } from '../integrations/clio/oauth/state-ledger';
import { clioRedirectUri } from './routes/clio-oauth';
import { startHousekeeping } from './housekeeping';
import { webhookUrlPolicy } from '../webhooks/policy-from-config';
import { createAuditStore } from '../audit';
import { payloadCodecFromConfig } from '../temporal/data-converter-from-config';

export interface RunningApi {
  url: string;
  port: number;
  /** Stops taking requests, lets requests in flight (and their Temporal calls) finish, then resolves. */
  close: () => Promise<void>;
}

/** The longest an API request waits for a Clio slot before it answers 503 with Retry-After. */
const API_CLIO_MAX_WAIT_MS = 5_000;

export async function startApiServer(opts: {
  config: Config;
  logger: Logger;
  temporal: Client;
  db: Database;
  port?: number;
  /** The process's Clio rate budgets, shared with a worker in the same process (npm start). */
  clioBudgets?: RateBudgetRegistry;
}): Promise<RunningApi> {
  const { config, logger, temporal, db } = opts;
  const apiKeys = createApiKeyRepository(db.knex);
  const clioClients = clioClientsFromConfig(config, {
    knex: db.knex,
    logger,
    budgets: opts.clioBudgets,
    // Clio counts per access token. In OAuth mode the API and the workflows use one token per tenant (from the
    // store), so integrations that poll could starve the workflows: the reads keep to their share. (With a
    // configured refresh token each process refreshes its own token and window.) Either way a read is told when to
    // come back rather than kept waiting long for a slot.
    budgetDraw: {
      leave: config.CLIO_AUTH_MODE === 'oauth' ? 1 - config.API_CLIO_BUDGET_SHARE : 0,
      maxWaitMs: API_CLIO_MAX_WAIT_MS,
    },
  });
  const storedKeys = cachedApiKeyResolver((key) => apiKeys.resolve(key), config.API_KEY_CACHE_SECONDS * 1000);
  const resolveApiKey: ApiKeyResolver = (key) =>
    // The contract's fixed keys exist only outside production.
    (config.sandboxMode && Object.hasOwn(SANDBOX_KEYS, key) ? SANDBOX_KEYS[key] : undefined) ??
    storedKeys(key);
  // One count of refused keys per client address for /v1 and the payload codec together.
  const refusals = refusalGuard();
  const within = temporalTimeout(config.API_TEMPORAL_TIMEOUT_SECONDS * 1000);
  // Secrets at rest in the service store (webhook secrets, answers kept under an Idempotency-Key).
  const box = createSecretBox(parseKey(config.DATA_ENCRYPTION_KEY));
  const idempotencyStore = createIdempotencyRepository(db.knex, box);
  const webhooks = createWebhookRepository(db.knex, box, { maxPerTenant: config.WEBHOOK_MAX_SUBSCRIPTIONS });
  const oauthStates = createOAuthStateLedger(db.knex);
  const audit = createAuditStore(db, { retentionYears: config.AUDIT_RETENTION_YEARS });
  const app = createApp({
    logger,
    temporal,
    within,
    resolveApiKey,
    refusals,
    idempotencyStore,
    idempotencyHashKey: createHash('sha256')
      .update('idempotency-request-hash\n')
      .update(parseKey(config.DATA_ENCRYPTION_KEY))
      .digest(),
    idempotencyTtlMs: config.IDEMPOTENCY_TTL_HOURS * 3_600_000,
    idempotencyLeaseMs: config.IDEMPOTENCY_LEASE_SECONDS * 1000,
    readiness: () => checkReadiness(temporal, config.TEMPORAL_NAMESPACE, within),
    sessionStore: createSessionStore(db.knex, sessionKey(config)),
    sessionLink: createSessionLink(temporal, sessionSettings(config)),
    portal: { baseUrl: config.CLIO_BASE_URL, paths: DEFAULT_PORTAL_PATHS },
    metrics: createApiMetrics(),
    metricsToken: config.METRICS_TOKEN,
    rateLimitPerMinute: config.API_RATE_LIMIT_PER_MINUTE,
    trustProxy: config.TRUST_PROXY,
    webhooks,
    webhookUrlPolicy: webhookUrlPolicy(config),
    audit,
    clio: (tenant) => clioClients(tenant).clio,
    clioOAuth: {
      authMode: config.CLIO_AUTH_MODE,
      oauth: clioOAuthClient(config),
      store: clioTokenStore(config, db.knex),
      stateKey: stateKeyFrom(parseKey(config.DATA_ENCRYPTION_KEY)),
      states: oauthStates,
      audit,
      redirectUri: clioRedirectUri(config.PUBLIC_URL),
      // The contract's fixed keys are not in the store: in sandbox mode they are found by id too.
      apiKeys: {
        get: async (id) => {
          const fixed = config.sandboxMode
            ? Object.values(SANDBOX_KEYS).find((p) => p.apiKeyId === id)
            : undefined;
          return fixed ? { revokedAt: null, user: fixed.userId ?? null } : apiKeys.get(id);
        },
      },
    },
    cursors: createCursorCodec(
      createHash('sha256').update('list-cursors\n').update(parseKey(config.DATA_ENCRYPTION_KEY)).digest(),
    ),
    codec: payloadCodecFromConfig(config),
    codecAllowedOrigins: config.CODEC_ALLOWED_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    authorizeCodec: codecAccess(config.sandboxMode, resolveApiKey, config.DEFAULT_TENANT, {
      guard: refusals,
    }),
  });
  const server: Server = await listen(app, config.HOST, opts.port ?? config.PORT);
  const port = (server.address() as AddressInfo).port;
  // Answers in flight may wait on Temporal (each call bounded, at most two per request); then connections are cut.
  const closeServer = gracefulClose(server, 2 * config.API_TEMPORAL_TIMEOUT_SECONDS * 1000 + 5_000);
  const housekeeping = startHousekeeping({
    idempotency: idempotencyStore,
    webhooks,
    deliveryLogMs: config.WEBHOOK_DELIVERY_LOG_DAYS * 86_400_000,
    operations: createOperationsLedger(db.knex),
    operationsMs: config.OPERATIONS_LEDGER_DAYS * 86_400_000,
    oauthStates,
    logger,
  });
  return {
    url: `http://${hostPort(config.HOST, port)}`,
    port,
    close: async () => {
      await closeServer();
      // Calls that outlived their request's 503 end within the client's retry budget; the connection may close after.
      await within.settled();
      await housekeeping.stop();
    },
  };
}

/**
 * The API could not take its address: the port is taken or not allowed, or HOST is no address of this machine.
 * Its message is one sentence naming the address and the variable that moves it (the entry point prints it as is).
 */
export class ApiListenError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ApiListenError';
  }
}

/**
 * Listens, or rejects with an ApiListenError a person can act on. Not Express's app.listen: Express 5 calls its
 * callback with a listen error too, so the server came back not listening and `address()` read null.
 */
function listen(app: RequestListener, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(app);
    server.on('clientError', answerClientError);
    const onError = (err: NodeJS.ErrnoException) => {
      server.removeListener('listening', onListening);
      reject(listenError(err, host, port));
    };
    const onListening = () => {
      server.removeListener('error', onError);
      resolve(server);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** host:port, an IPv6 address in brackets. */
function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  const cannot = `Cannot start the HTTP API on ${hostPort(host, port)}`;
  switch (err.code) {
    case 'EADDRINUSE':
      return new ApiListenError(
        `${cannot}: the port is already in use; stop what uses it or set PORT (HOST sets the address).`,
        err.code,
      );
    case 'EACCES':
      return new ApiListenError(
        `${cannot}: not allowed to listen there (ports below 1024 need privileges); set PORT to another port (HOST sets the address).`,
        err.code,
      );
    case 'EADDRNOTAVAIL':
      return new ApiListenError(`${cannot}: ${host} is not an address of this machine; set HOST.`, err.code);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ApiListenError(`${cannot}: ${host} does not resolve to an address; set HOST.`, err.code);
    default:
      return err;
  }
}
