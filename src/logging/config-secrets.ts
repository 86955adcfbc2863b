import { SECRET_VARS, type Config } from '../config';

/** The configured secret values, so the logger can scrub them even from free text. */
export function configSecrets(config: Config): string[] {
  return SECRET_VARS.map((name) => (config as Record<string, unknown>)[name]).filter(
    (v): v is string => typeof v === 'string' && v.length > 0,
  );
}
