import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { type Config } from '.';

export interface PortalCredentials {
  username: string;
  password: string;
  totpSecret?: string;
}

const FileSchema = z.record(
  z.string().regex(/^[a-z0-9-]{1,40}$/, 'a tenant id: lowercase letters, digits and dashes'),
  z
    .object({
      username: z.string().min(1),
      password: z.string().min(1),
      // Empty or absent: MFA codes come by signal, as for DEFAULT_TENANT.
      totpSecret: z.string().optional(),
    })
    .strict(),
);

export class PortalCredentialsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PortalCredentialsFileError';
  }
}

/**
 * Whose Clio web-app user signs in for a tenant: DEFAULT_TENANT's from the environment, other tenants' from
 * CLIO_PORTAL_CREDENTIALS_FILE. A tenant in neither has none (its session fails, saying so) rather than being
 * signed in as another firm's user. Errors name the file and the entry, never a value.
 */
export function portalCredentialsFromConfig(
  config: Pick<
    Config,
    | 'DEFAULT_TENANT'
    | 'CLIO_PORTAL_USERNAME'
    | 'CLIO_PORTAL_PASSWORD'
    | 'CLIO_PORTAL_TOTP_SECRET'
    | 'CLIO_PORTAL_CREDENTIALS_FILE'
  >,
): (tenant: string) => PortalCredentials | undefined {
  const byTenant = new Map<string, PortalCredentials>();
  byTenant.set(config.DEFAULT_TENANT, {
    username: config.CLIO_PORTAL_USERNAME,
    password: config.CLIO_PORTAL_PASSWORD,
    totpSecret: config.CLIO_PORTAL_TOTP_SECRET || undefined,
  });
  for (const [tenant, creds] of Object.entries(readFile(config.CLIO_PORTAL_CREDENTIALS_FILE))) {
    if (tenant === config.DEFAULT_TENANT)
      throw new PortalCredentialsFileError(
        `${config.CLIO_PORTAL_CREDENTIALS_FILE}: ${tenant} is DEFAULT_TENANT, whose web-app user comes from CLIO_PORTAL_USERNAME and CLIO_PORTAL_PASSWORD`,
      );
    byTenant.set(tenant, { ...creds, totpSecret: creds.totpSecret || undefined });
  }
  return (tenant) => byTenant.get(tenant);
}

/** Every secret the file holds, for the logger to scrub; none when there is no file (or it cannot be read). */
export function portalCredentialSecrets(path: string | undefined): string[] {
  try {
    return Object.values(readFile(path)).flatMap((c) => [
      c.password,
      ...(c.totpSecret ? [c.totpSecret] : []),
    ]);
  } catch {
    return [];
  }
}

function readFile(path: string | undefined): z.output<typeof FileSchema> {
  if (!path) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new PortalCredentialsFileError(`${path}: cannot be read (${(err as NodeJS.ErrnoException).code})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PortalCredentialsFileError(`${path}: is not JSON`);
  }
  const parsed = FileSchema.safeParse(json);
  if (!parsed.success)
    throw new PortalCredentialsFileError(
      `${path}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'} ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}
