import { z } from 'zod';

export const DEFAULT_DATABASE_URL = 'sqlite:.data/service.db';

export type DatabaseTarget =
  { dialect: 'sqlite'; filename: string } | { dialect: 'postgres'; connectionString: string };

const databaseUrlSchema = z
  .string()
  .trim()
  .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, 'DATABASE_URL must be sqlite:<path> or a postgres:// URL');

/**
 * `sqlite:<path>` (relative paths resolve against the working directory; `sqlite::memory:` is in-memory)
 * or `postgres://user:pass@host:port/db`. The error message never repeats the URL: it may hold a password.
 */
export function parseDatabaseUrl(databaseUrl: string): DatabaseTarget {
  const url = databaseUrlSchema.parse(databaseUrl);
  if (url.startsWith('sqlite:')) {
    // Accept both `sqlite:path` and `sqlite://path` spellings.
    const filename = url.slice('sqlite:'.length).replace(/^\/\/(?=[^/])/, '');
    return { dialect: 'sqlite', filename };
  }
  return { dialect: 'postgres', connectionString: url };
}
