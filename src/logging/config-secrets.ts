import path from 'node:path';
import { SECRET_VARS, type Config } from '../config';
import { portalCredentialSecrets } from '../config/portal-credentials';
import { loadKeyring } from '../temporal/codec/keyring';

/**
 * The configured secret values, so the logger can scrub them even from free text: the secret settings, and the
 * secrets inside other settings (the database password in DATABASE_URL, each payload key on its own, in the
 * spellings a log line would show them) and the other tenants' web-app passwords and TOTP secrets.
 */
export function configSecrets(config: Config): string[] {
  const values = SECRET_VARS.map((name) => (config as Record<string, unknown>)[name]).filter(
    (v): v is string => typeof v === 'string' && v.length > 0,
  );
  return [
    ...values,
    ...databasePassword(config.DATABASE_URL),
    ...payloadKeys(config),
    ...portalCredentialSecrets(config.CLIO_PORTAL_CREDENTIALS_FILE),
  ];
}

function databasePassword(url: string): string[] {
  let password: string;
  try {
    password = new URL(url).password;
  } catch {
    return []; // sqlite:<path> and the like carry none
  }
  if (!password) return [];
  try {
    return [password, decodeURIComponent(password)];
  } catch {
    return [password]; // not valid percent-encoding (`ab%zz`): the driver sends it as written
  }
}

function payloadKeys(config: Config): string[] {
  try {
    const { keys } = loadKeyring({
      keys: config.PAYLOAD_ENCRYPTION_KEYS,
      keyFile:
        config.PAYLOAD_ENCRYPTION_KEY_FILE ??
        (config.sandboxMode ? path.join(config.DATA_DIR, 'payload-keys') : undefined),
    });
    return [...keys.values()].flatMap((k) => [
      Buffer.from(k).toString('base64'),
      Buffer.from(k).toString('base64url'),
    ]);
  } catch {
    return []; // no keys yet (the sandbox creates its file later) or unreadable: the codec reports that itself
  }
}
