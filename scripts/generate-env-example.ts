/**
 * Writes .env.example from the config schema (the one source of truth); `--check` fails when the file is stale.
 *   npm run env:example            write it
 *   npm run env:example -- --check  verify it (CI)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { VARS, type VarSpec } from '../src/config/schema';

export function renderEnvExample(): string {
  const lines = ['# Generated from src/config/schema.ts by `npm run env:example`; do not edit by hand.', ''];
  for (const [name, spec] of Object.entries(VARS as Record<string, VarSpec>)) {
    lines.push(`# ${spec.description}${spec.secret ? ' (secret)' : ''}`);
    if (spec.sandboxDefault !== undefined)
      lines.push('# outside production defaults to the sandbox value; required in production');
    const value = spec.default ?? (spec.secret ? '' : (spec.sandboxDefault ?? ''));
    lines.push(`${spec.default === undefined ? '# ' : ''}${name}=${value}`, '');
  }
  return lines.join('\n');
}

if (require.main === module) {
  const text = renderEnvExample();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync('.env.example', 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== text) {
      process.stderr.write(
        '.env.example is out of date with src/config/schema.ts; run `npm run env:example`.\n',
      );
      process.exit(1);
    }
  } else {
    writeFileSync('.env.example', text);
  }
}
