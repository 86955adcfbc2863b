/**
 * Fills the generated tables of README.md (between `<!-- name:start -->` and `<!-- name:end -->`) from the code
 * that is the truth: the config schema and the permission matrix. `--check` fails when README.md is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { VARS, type VarSpec } from '../src/config/schema';
import { permissionTable } from '../src/api/auth/permissions';

function configTable(): string {
  const rows = Object.entries(VARS as Record<string, VarSpec>).map(([name, spec]) => {
    const def =
      spec.default !== undefined
        ? `\`${spec.default}\``
        : spec.sandboxDefault !== undefined
          ? spec.secret
            ? 'sandbox value (required in production)'
            : `\`${spec.sandboxDefault}\` in sandbox mode (required in production)`
          : '—';
    return `| \`${name}\` | ${def} | ${spec.description}${spec.secret ? ' (secret: never logged)' : ''} |`;
  });
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

export const GENERATED: Record<string, () => string> = {
  'config-table': configTable,
  'permission-matrix': permissionTable,
};

export function renderReadme(readme: string): string {
  let out = readme;
  for (const [name, render] of Object.entries(GENERATED)) {
    const re = new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
    out = out.replace(re, `$1\n${render()}\n\n$2`);
  }
  return out;
}

/** The README as the repository keeps it: tables filled in, then laid out by the project's formatter. */
export async function formattedReadme(readme: string): Promise<string> {
  // Loaded here, not at import: the unit test imports this module without needing the formatter.
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig('README.md')) ?? {};
  return prettier.format(renderReadme(readme), { ...options, parser: 'markdown' });
}

async function main(): Promise<void> {
  const current = readFileSync('README.md', 'utf8');
  const next = await formattedReadme(current);
  if (process.argv.includes('--check')) {
    if (current !== next) {
      process.stderr.write('README.md generated tables are stale; run `npm run readme`.\n');
      process.exit(1);
    }
  } else writeFileSync('README.md', next);
}

if (require.main === module) void main();
