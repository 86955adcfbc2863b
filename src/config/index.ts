import { type z } from 'zod';
import { VARS, type VarName, type VarSpec } from './schema';

type Parsed<N extends VarName> = z.output<(typeof VARS)[N]['schema']>;
export type Config = Readonly<{ [N in VarName]: Parsed<N> }> & { readonly sandboxMode: boolean };

export class ConfigError extends Error {
  constructor(readonly problems: { name: string; message: string }[]) {
    super(`Invalid configuration: ${problems.map((p) => `${p.name}: ${p.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once; reports every invalid variable together, never just the first. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const { values: out, problems } = parseVars(Object.keys(VARS) as VarName[], env);
  if (production && !out.PAYLOAD_ENCRYPTION_KEYS && !out.PAYLOAD_ENCRYPTION_KEY_FILE) {
    problems.push({
      name: 'PAYLOAD_ENCRYPTION_KEYS',
      message: 'required in production (or PAYLOAD_ENCRYPTION_KEY_FILE)',
    });
  }
  if (production) {
    if (out.START_SANDBOXES === true && env.START_SANDBOXES !== undefined && env.START_SANDBOXES !== '') {
      problems.push({ name: 'START_SANDBOXES', message: 'sandboxes never run in production' });
    }
    out.START_SANDBOXES = false;
  }
  const lease = out.IDEMPOTENCY_LEASE_SECONDS;
  const temporalWait = out.API_TEMPORAL_TIMEOUT_SECONDS;
  // A write route makes up to two Temporal calls (the MFA route asks the session's state, then signals it).
  if (typeof lease === 'number' && typeof temporalWait === 'number' && lease <= 2 * temporalWait) {
    problems.push({
      name: 'IDEMPOTENCY_LEASE_SECONDS',
      message: `must be more than twice API_TEMPORAL_TIMEOUT_SECONDS (${temporalWait}): a request may wait that long for each of two Temporal calls and must keep its key meanwhile`,
    });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({ ...out, sandboxMode: !production } as Config);
}

/**
 * Only the named variables, parsed as loadConfig parses them: for a process that needs a few settings and must
 * not be handed the others (the migrate job gets the database owner's URL, not the service's secrets).
 */
export function loadSettings<N extends VarName>(
  names: readonly N[],
  env: Record<string, string | undefined> = process.env,
): Readonly<Pick<Config, N>> {
  const { values, problems } = parseVars(names, env);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(values as Pick<Config, N>);
}

function parseVars(
  names: readonly VarName[],
  env: Record<string, string | undefined>,
): { values: Record<string, unknown>; problems: { name: string; message: string }[] } {
  const production = env.NODE_ENV === 'production';
  const problems: { name: string; message: string }[] = [];
  const values: Record<string, unknown> = {};
  for (const name of names) {
    const spec: VarSpec = VARS[name];
    const raw = env[name];
    const fallback = spec.default ?? (production ? undefined : spec.sandboxDefault);
    const value = raw === undefined || (raw === '' && !spec.allowEmpty) ? fallback : raw;
    if (value === undefined && spec.sandboxDefault !== undefined) {
      if (!spec.optionalWhen?.(env)) problems.push({ name, message: 'required in production' });
      continue;
    }
    // The sandbox's secrets are published (in this file's schema): a deployment that kept one has no secret.
    if (production && spec.secret && spec.sandboxDefault !== undefined && value === spec.sandboxDefault) {
      problems.push({ name, message: 'is the published sandbox value; set your own in production' });
      continue;
    }
    const result = spec.schema.safeParse(value);
    if (result.success) values[name] = result.data;
    else problems.push({ name, message: result.error.issues.map((i) => i.message).join(', ') });
  }
  return { values, problems };
}

/** The names of variables whose values must never be printed. */
export const SECRET_VARS: readonly string[] = Object.entries(VARS as Record<string, VarSpec>)
  .filter(([, spec]) => spec.secret)
  .map(([name]) => name);
