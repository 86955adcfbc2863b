/**
 * npm run audit:export -- --from 2026-01-01 --to 2026-02-01 [--format jsonl|csv] [--tenant t] [--out file]
 * Writes audit records with from <= time < to, in chain order, to stdout or --out. Reads the service's configuration (DATABASE_URL).
 */
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createAuditStore, exportFormatSchema, writeExport } from '../src/audit';
import { loadConfig } from '../src/config';
import { createDatabase } from '../src/store';
import { runCli } from './run-cli';

// A bare date means midnight UTC of that day.
const instant = z
  .string()
  .transform((v) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00.000Z` : v))
  .pipe(z.iso.datetime({ offset: true }));

const argsSchema = z.object({
  from: instant.optional(),
  to: instant.optional(),
  format: exportFormatSchema.default('jsonl'),
  tenant: z.string().min(1).optional(),
  out: z.string().min(1).optional(),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string' },
      tenant: { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
  });
  const args = argsSchema.parse(values);
  const config = loadConfig();
  const db = await createDatabase(config.DATABASE_URL, { migrate: config.DATABASE_MIGRATE });
  try {
    const records = createAuditStore(db).iterate({ tenant: args.tenant, from: args.from, to: args.to });
    const out = args.out ? createWriteStream(args.out) : process.stdout;
    const count = await writeExport(records, args.format, out);
    if (args.out) {
      out.end();
      await finished(out);
    }
    console.error(`audit:export wrote ${count} record(s) as ${args.format}`);
  } finally {
    await db.close();
  }
}

runCli('audit:export', main);
