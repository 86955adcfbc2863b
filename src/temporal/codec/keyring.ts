import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Key ids go into payload metadata in clear; keys never leave this module's callers' memory. */
export interface Keyring {
  keys: ReadonlyMap<string, Uint8Array>;
  /** The key new payloads are encrypted with; every key in `keys` can decrypt. */
  primaryKeyId: string;
}

export class KeyringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyringError';
  }
}

const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$|^[A-Za-z0-9_-]+$/;

/**
 * Parses `k1:<base64 of 32 bytes>,k2:<base64>` (commas, whitespace or newlines between entries; `#` starts a
 * comment line). The primary is `primaryKeyId` when given, otherwise the first key listed: to rotate, put
 * the new key first and keep the old ones so payloads written under them still decrypt.
 * Error messages name key ids and problems, never key material.
 */
export function parseKeyring(spec: string, primaryKeyId?: string): Keyring {
  const entries = spec
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .join(',')
    .split(/[,\s]+/)
    .filter(Boolean);
  if (entries.length === 0) throw new KeyringError('no encryption keys given (expected id:base64key,...)');
  const keys = new Map<string, Uint8Array>();
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    const material = colon > 0 ? entry.slice(colon + 1) : '';
    if (!KEY_ID.test(id))
      throw new KeyringError(
        `key entry ${index + 1}: expected <id>:<base64 key> with id of letters, digits, _ . -`,
      );
    if (keys.has(id)) throw new KeyringError(`key id ${id} appears twice`);
    const bytes = BASE64.test(material)
      ? Buffer.from(material, material.includes('-') || material.includes('_') ? 'base64url' : 'base64')
      : undefined;
    if (!bytes || bytes.length !== 32)
      throw new KeyringError(`key ${id}: must be 32 bytes, base64-encoded (AES-256)`);
    keys.set(id, new Uint8Array(bytes));
  });
  const primary = primaryKeyId ?? entries[0]!.slice(0, entries[0]!.indexOf(':'));
  if (!keys.has(primary)) throw new KeyringError(`primary key id ${primary} is not among the keys`);
  return { keys, primaryKeyId: primary };
}

export interface KeyringSource {
  /** Inline spec, e.g. from a secret environment variable. */
  keys?: string;
  /** Path of a file holding the spec (mode 0600 recommended). Used when `keys` is empty. */
  keyFile?: string;
  primaryKeyId?: string;
}

/** Reads the keyring from the inline spec or, failing that, the key file. */
export function loadKeyring(source: KeyringSource): Keyring {
  if (source.keys && source.keys.trim()) return parseKeyring(source.keys, source.primaryKeyId);
  if (source.keyFile) {
    if (!existsSync(source.keyFile))
      throw new KeyringError(`encryption key file ${source.keyFile} does not exist`);
    return parseKeyring(readFileSync(source.keyFile, 'utf8'), source.primaryKeyId);
  }
  throw new KeyringError('no payload encryption keys configured: set a keys spec or a key file');
}

/** A fresh spec with one random key, e.g. `k20261125:<base64>`. */
export function generateKeySpec(
  keyId = `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`,
): string {
  if (!KEY_ID.test(keyId)) throw new KeyringError('invalid key id');
  return `${keyId}:${randomBytes(32).toString('base64')}`;
}

/**
 * For the embedded default (`npm start` on a fresh clone): creates the key file with one random key if it is
 * missing, readable by the owner only, and returns its path. Existing files are never overwritten, or every
 * payload already stored would become unreadable. Written to a temp file and hard-linked into place, so two
 * processes starting together agree on one key and neither reads a half-written file.
 */
export function ensureKeyFile(path: string): string {
  if (existsSync(path)) return path;
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const header =
    '# Temporal payload encryption keys: id:base64, first is primary. Keep old keys to decrypt old runs.';
  writeFileSync(temp, `${header}\n${generateKeySpec()}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temp);
  }
  return path;
}
