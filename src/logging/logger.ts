import pino, { type Logger, type DestinationStream } from 'pino';

export type { Logger };

/** Paths whose values are secrets wherever they appear in a log object (one and two levels deep). */
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
];
const REDACT_PATHS = [
  ...SECRET_KEYS.map((k) => `["${k}"]`),
  ...SECRET_KEYS.map((k) => `*["${k}"]`),
  ...SECRET_KEYS.map((k) => `*.*["${k}"]`),
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'body.code',
  'req.body.code',
];

/** Shapes that are secrets whatever field carries them: bearer credentials and cookies in free text. */
const SECRET_PATTERNS: RegExp[] = [
  /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi,
  /((?:session|_clio)[A-Za-z_]*=)[^;\s"]+/gi,
];

export interface LoggerOptions {
  level: string;
  /** Configured secret values: scrubbed from every line even when they appear inside free text. */
  secrets?: readonly (string | undefined)[];
  destination?: DestinationStream;
  name?: string;
}

export function scrubSecrets(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const s of secrets) out = out.split(s).join('[REDACTED]');
  for (const re of SECRET_PATTERNS) out = out.replace(re, '$1[REDACTED]');
  return out;
}

export function createLogger(opts: LoggerOptions): Logger {
  // Short values would scrub ordinary words; real secrets are longer than this.
  const secrets = (opts.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 6);
  return pino(
    {
      level: opts.level,
      name: opts.name,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      hooks: { streamWrite: (line) => scrubSecrets(line, secrets) },
    },
    opts.destination ?? pino.destination({ fd: 1, sync: false }),
  );
}
