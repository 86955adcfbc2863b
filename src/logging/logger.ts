import pino, { type Logger, type DestinationStream } from 'pino';

export type { Logger };

/** Keys whose values are secrets wherever they appear in a log object (up to three levels deep). */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'password',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'client_secret',
  'clientSecret',
  'secret',
  'totpSecret',
  'mfaCode',
  'csrfToken',
  'apiKey',
  'x-api-key',
  'x-auth-token',
  // The Temporal SDK's activity log lines carry it (the Rust core's as task_token): it completes or fails that
  // activity for whoever holds it.
  'taskToken',
  'task_token',
];
/** Outgoing request headers keep the caller's spelling (Node lower-cases only incoming ones). */
const HEADER_SPELLINGS = ['Authorization', 'Cookie', 'Set-Cookie'];
const REDACT_PATHS = [
  ...[...SECRET_KEYS, ...HEADER_SPELLINGS].flatMap((k) => [
    `["${k}"]`,
    `*["${k}"]`,
    `*.*["${k}"]`,
    `*.*.*["${k}"]`,
  ]),
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'body.code',
  'req.body.code',
];

/**
 * For the HTTP access log, whose lines have one shape (request line, status, time, and an error when there is
 * one): the same keys at the top and anywhere in the error, but no paths under every key. Wildcard paths would
 * be applied to each request's bindings, the costliest part of a read's log line, and those hold no secrets.
 */
const ACCESS_LOG_REDACT_PATHS = [
  ...SECRET_KEYS.map((k) => `["${k}"]`),
  ...[...SECRET_KEYS, ...HEADER_SPELLINGS].flatMap((k) => [
    `err["${k}"]`,
    `err.*["${k}"]`,
    `err.*.*["${k}"]`,
  ]),
];

/** Query parameters whose values are credentials (OAuth codes and states, tokens) wherever they appear. */
const SECRET_QUERY_PARAMS = ['code', 'state', 'token', 'access_token', 'refresh_token', 'api_key', 'key'];
const SECRET_QUERY_PARAM = new RegExp(`[?&](?:${SECRET_QUERY_PARAMS.join('|')})=`, 'i');

/** A request URL fit for a log line: the values of credential-bearing query parameters are censored. */
export function loggableUrl(url: string): string {
  if (!SECRET_QUERY_PARAM.test(url)) return url;
  const q = url.indexOf('?');
  const pairs = [...new URLSearchParams(url.slice(q + 1))].map(([name, value]) => {
    const shown = SECRET_QUERY_PARAMS.includes(name.toLowerCase()) ? '[REDACTED]' : encodeURIComponent(value);
    return `${encodeURIComponent(name)}=${shown}`;
  });
  return `${url.slice(0, q)}?${pairs.join('&')}`;
}

/**
 * Keys matched in the written line, at any depth and in any capitalization: the redact paths stop at four levels and
 * at the spellings listed (an aggregate error's `config.headers`, `X-Api-Key`, the portal's `x-csrf-token`).
 */
const LINE_SECRET_KEYS = [
  ...new Set(
    [...SECRET_KEYS, 'x-csrf-token', 'proxy-authorization', 'api_key', 'id_token'].map((k) =>
      k.toLowerCase(),
    ),
  ),
]
  .map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  .join('|');
/** Names whose `name=value` is a credential in a form body, a cookie or a query string quoted in free text. */
const FORM_SECRET_NAMES = 'access_token|refresh_token|id_token|client_secret|password|api_key|apikey|token';
const JSON_STRING = '"(?:[^"\\\\]|\\\\.)*"';

/** Shapes that are secrets whatever field carries them: bearer credentials and cookies in free text. */
const SECRET_PATTERNS: [RegExp, string][] = [
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, '$1[REDACTED]'],
  [/(Basic\s+)[A-Za-z0-9+/=]+/gi, '$1[REDACTED]'],
  [/((?:session|_clio)[A-Za-z_]*=)[^;\s"]+/gi, '$1[REDACTED]'],
  // "key": a string, a number or a list of strings (Set-Cookie); objects are left to the redact paths.
  [
    new RegExp(
      `("(?:${LINE_SECRET_KEYS})"\\s*:\\s*)(?:${JSON_STRING}|\\[\\s*(?:${JSON_STRING}\\s*,?\\s*)*\\]|-?[0-9][0-9.eE+-]*)`,
      'gi',
    ),
    '$1"[REDACTED]"',
  ],
  // The same inside a string (a JSON answer quoted in an error message): \"key\":\"value\".
  [new RegExp(`(\\\\"(?:${LINE_SECRET_KEYS})\\\\"\\s*:\\s*\\\\")[^"\\\\]*`, 'gi'), '$1[REDACTED]'],
  [new RegExp(`((?<![\\w-])(?:${FORM_SECRET_NAMES})=)[^&\\s"\\\\;,]+`, 'gi'), '$1[REDACTED]'],
  [new RegExp(`([?&](?:${SECRET_QUERY_PARAMS.join('|')})=)[^&#\\s"\\\\]+`, 'gi'), '$1[REDACTED]'],
  [/((?:^|[^\w-])(?:set-)?cookie:\s*)[^"\\\n]+/gi, '$1[REDACTED]'],
  // Temporal task tokens in the Rust core's messages: `TaskToken(…)`, "complete activity task <token> but…".
  [/(TaskToken\()[^)"]*/g, '$1[REDACTED]'],
  [/(activity task )[A-Za-z0-9+/=_-]{16,}/gi, '$1[REDACTED]'],
];

export interface LoggerOptions {
  level: string;
  /** Configured secret values: scrubbed from every line even when they appear inside free text. */
  secrets?: readonly (string | undefined)[];
  destination?: DestinationStream;
  name?: string;
}

/**
 * The spellings of configured secrets a JSON log line can hold: as they are, and escaped (a quote, a backslash or
 * a control character appears escaped in the line). Worked out once per logger, not per line.
 */
export function secretSpellings(secrets: readonly string[]): string[] {
  return [...new Set(secrets.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]))];
}

export function scrubSecrets(line: string, spellings: readonly string[]): string {
  let out = line;
  for (const s of spellings) if (out.includes(s)) out = out.split(s).join('[REDACTED]');
  for (const [re, replacement] of SECRET_PATTERNS) out = out.replace(re, replacement);
  return out;
}

export function createLogger(opts: LoggerOptions): Logger {
  // Short values would scrub ordinary words; real secrets are longer than this.
  const secrets = secretSpellings(
    (opts.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 6),
  );
  return pino(
    {
      level: opts.level,
      name: opts.name,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      hooks: { streamWrite: (line) => scrubSecrets(line, secrets) },
    },
    // Synchronous (pino's own default): a line is written before the call returns, so a crash loses none. In
    // `npm run bench` it made no measurable difference to a read's time or CPU against asynchronous writes.
    opts.destination ?? pino.destination({ fd: 1, sync: true }),
  );
}

/** The logger for the HTTP access log (pino-http): redaction suited to its fixed line shape, see above. */
export function accessLogger(logger: Logger): Logger {
  return logger.child({}, { redact: { paths: ACCESS_LOG_REDACT_PATHS, censor: '[REDACTED]' } });
}
