/**
 * Manage API keys in the service store (DATABASE_URL):
 *   npm run apikey -- create --tenant T --role attorney|paralegal|billing|admin --name "Jane Doe" [--user jane@firm.com]
 *   npm run apikey -- list [--tenant T] [--user U]
 *   npm run apikey -- revoke --id ID
 *   npm run apikey -- revoke --tenant T --user U     (every key of a person, as when they leave the firm)
 * A created key is printed once; only its hash is stored. Creation and revocation are written to the tenant's
 * audit trail, naming the operating-system account that ran the command. `--user` names the person the key acts
 * for: the audit records of what the key does name that person, and all of one person's keys count as one person.
 */
import { hostname, userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { createAuditStore } from '../src/audit';
import { loadConfig } from '../src/config';
import { exitOnConfigError } from '../src/dev/process';
import { createApiKeyAdmin } from '../src/api/auth/api-key-admin';
import { createApiKeyRepository, NewApiKeySchema } from '../src/api/auth/api-keys';
import { createDatabase } from '../src/store/database';
import { runCli } from './run-cli';

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      tenant: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      user: { type: 'string' },
      id: { type: 'string' },
    },
  });
  const config = exitOnConfigError(loadConfig);
  const db = await createDatabase(config.DATABASE_URL, { migrate: config.DATABASE_MIGRATE });
  try {
    const keys = createApiKeyRepository(db.knex);
    const admin = createApiKeyAdmin({
      keys,
      audit: createAuditStore(db, { retentionYears: config.AUDIT_RETENTION_YEARS }),
      operator: `${userInfo().username}@${hostname()}`,
    });
    switch (command) {
      case 'create': {
        const parsed = NewApiKeySchema.safeParse(values);
        if (!parsed.success) {
          process.stderr.write(
            `Invalid: ${parsed.error.issues.map((i) => `--${i.path.join('.')} ${i.message}`).join('; ')}\n`,
          );
          return 2;
        }
        const { key, info } = await admin.create(parsed.data);
        process.stdout.write(
          `Created API key ${info.id} (tenant ${info.tenant}, role ${info.role}${info.user ? `, user ${info.user}` : ''}). Shown once, store it now:\n${key}\n`,
        );
        return 0;
      }
      case 'list': {
        const user = personOf(values.user);
        if (user === null) return 2;
        for (const k of await keys.list(values.tenant)) {
          if (user !== undefined && k.user !== user) continue;
          process.stdout.write(
            `${k.id}  ${k.tenant}  ${k.role.padEnd(9)}  ${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}  ${k.user ?? '(no user)'}  ${k.name}\n`,
          );
        }
        return 0;
      }
      case 'revoke': {
        const byPerson = values.user !== undefined && values.tenant !== undefined && values.id === undefined;
        const byId = values.id !== undefined && values.user === undefined;
        if (!byPerson && !byId) {
          process.stderr.write('revoke takes --id ID, or --tenant T with --user U\n');
          return 2;
        }
        if (byPerson) {
          const user = personOf(values.user);
          if (user === null) return 2;
          const held = (await keys.list(values.tenant)).filter((k) => k.user === user && !k.revokedAt);
          if (held.length === 0) {
            process.stderr.write(`No active key of ${user} in tenant ${values.tenant}\n`);
            return 1;
          }
          // One by one, each with its own record: a key revoked before a failure stays revoked; run it again.
          for (const k of held) {
            const revoked = await admin.revoke(k.id);
            process.stdout.write(
              revoked?.revokedNow ? `Revoked ${k.id} (${k.name})\n` : `${k.id} was already revoked\n`,
            );
          }
          return 0;
        }
        const revoked = await admin.revoke(values.id!);
        if (!revoked) {
          process.stderr.write(`No key ${values.id}\n`);
          return 1;
        }
        process.stdout.write(
          revoked.revokedNow ? `Revoked ${values.id}\n` : `${values.id} was already revoked\n`,
        );
        return 0;
      }
      default:
        process.stderr.write(
          'Usage: npm run apikey -- create --tenant T --role R --name N [--user U] | list [--tenant T] [--user U] | revoke --id ID | revoke --tenant T --user U\n',
        );
        return 2;
    }
  } finally {
    await db.close();
  }
}

/** `--user` as keys store it (trimmed, NFC, lower-cased); undefined when not given, null (reason printed) when not valid. */
function personOf(given: string | undefined): string | undefined | null {
  if (given === undefined) return undefined;
  const parsed = NewApiKeySchema.shape.user.safeParse(given);
  if (!parsed.success) {
    process.stderr.write(`Invalid: --user ${parsed.error.issues.map((i) => i.message).join('; ')}\n`);
    return null;
  }
  return parsed.data;
}

runCli('apikey', main);
