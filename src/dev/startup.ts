/**
 * What a process's entry point prints when it cannot start. An expected failure (the store cannot be reached or is
 * not migrated, the payload keys cannot be read) is one line naming what failed and the variable or command that
 * fixes it, then exit 1: no stack trace, and never a connection string (it may hold a password). Anything else is
 * logged through pino by the entry's logger, then exit 1.
 */
import { PortalCredentialsFileError } from '../config/portal-credentials';
import { type Logger } from '../logging/logger';
import { SchemaNotCurrentError } from '../store/database';
import { parseDatabaseUrl } from '../store/database-url';
import { KeyringError } from '../temporal/codec/keyring';

/** An expected start-up failure; its message is the one line the entry point prints. */
export class StartupFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupFailure';
  }
}

/** Runs one start-up step; a failure `explain` recognizes becomes a StartupFailure with its line. */
export async function startupStep<T>(
  step: () => T | Promise<T>,
  explain: (err: unknown) => string | undefined,
): Promise<T> {
  try {
    return await step();
  } catch (err) {
    const line = err instanceof StartupFailure ? err.message : explain(err);
    throw line ? new StartupFailure(line) : err;
  }
}

/**
 * Runs an entry point's main: a StartupFailure is its one line on stderr and exit 1; any other error is logged
 * (through `logger()` once the entry has one, so the configured secrets are scrubbed) and exit 1.
 */
export function runEntry(main: () => Promise<void>, logger: () => Logger | undefined): void {
  main().catch((err: unknown) => {
    if (err instanceof StartupFailure) {
      process.stderr.write(`${err.message}\n`);
    } else {
      const log = logger();
      if (log) log.fatal({ err }, 'start-up failed');
      else process.stderr.write(`Start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
    }
    // pino writes asynchronously: let the line out before leaving.
    setImmediate(() => process.exit(1));
  });
}

const SOCKET_PROBLEMS: Record<string, string> = {
  ECONNREFUSED: 'nothing accepts connections there',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name does not resolve (DNS did not answer)',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ECONNRESET: 'the server closed the connection',
};

const POSTGRES_PROBLEMS: Record<string, string> = {
  '28P01': 'the password was refused',
  '28000': 'the role may not log in',
  '3D000': 'the database does not exist',
  '42501': 'the role lacks the rights it needs',
  '57P03': 'the server does not accept connections yet',
  '53300': 'the server has too many connections',
};

/** Where the store is, without credentials: `host:port/database` or the SQLite file. */
function storeLocation(databaseUrl: string): string {
  try {
    const target = parseDatabaseUrl(databaseUrl);
    if (target.dialect === 'sqlite') return target.filename;
    const url = new URL(target.connectionString);
    return `${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

/** The line for a store that cannot be opened (createDatabase), or undefined for an unexpected error. */
export function storeProblem(err: unknown, databaseUrl: string): string | undefined {
  const cannot = `Cannot open the service store at ${storeLocation(databaseUrl)}`;
  if (err instanceof SchemaNotCurrentError) return `${cannot}: ${err.message}.`;
  const { code, name } = (err ?? {}) as { code?: unknown; name?: unknown };
  const codeText = typeof code === 'string' ? code : '';
  if (SOCKET_PROBLEMS[codeText])
    return `${cannot}: ${SOCKET_PROBLEMS[codeText]}; start the database or set DATABASE_URL.`;
  if (POSTGRES_PROBLEMS[codeText])
    return `${cannot}: ${POSTGRES_PROBLEMS[codeText]}; check DATABASE_URL (user, password, database).`;
  if (name === 'KnexTimeoutError')
    return `${cannot}: no connection within the pool's timeout; check that the database answers, or set DATABASE_URL.`;
  if (['EACCES', 'EROFS', 'ENOTDIR', 'EISDIR', 'SQLITE_CANTOPEN', 'SQLITE_READONLY'].includes(codeText))
    return `${cannot}: the file or its folder cannot be written (${codeText}); set DATABASE_URL (or DATA_DIR) to a writable place.`;
  return undefined;
}

/** The line for payload keys that cannot be loaded (dataConverterFromConfig), or undefined. */
export function payloadKeysProblem(
  err: unknown,
  config: { PAYLOAD_ENCRYPTION_KEY_FILE?: string; PAYLOAD_ENCRYPTION_KEYS?: string; DATA_DIR: string },
): string | undefined {
  const fix =
    'set PAYLOAD_ENCRYPTION_KEYS or PAYLOAD_ENCRYPTION_KEY_FILE (PAYLOAD_ENCRYPTION_PRIMARY_KEY_ID)';
  if (err instanceof KeyringError) return `Cannot load the payload encryption keys: ${err.message}; ${fix}.`;
  const { code } = (err ?? {}) as { code?: unknown };
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    const file = config.PAYLOAD_ENCRYPTION_KEY_FILE;
    return file
      ? `Cannot read the payload key file ${file} (PAYLOAD_ENCRYPTION_KEY_FILE): ${code}; point it at a readable file of keys.`
      : `Cannot create the payload key file under ${config.DATA_DIR} (DATA_DIR): ${code}; set DATA_DIR to a writable folder or ${fix}.`;
  }
  return undefined;
}

/** The line for a portal credentials file the worker cannot use, or undefined. */
export function portalCredentialsProblem(err: unknown): string | undefined {
  return err instanceof PortalCredentialsFileError
    ? `Cannot use the Clio portal credentials (CLIO_PORTAL_CREDENTIALS_FILE): ${err.message}.`
    : undefined;
}
