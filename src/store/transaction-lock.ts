import { type Knex } from 'knex';

/**
 * Takes a lock named `name` until `trx` ends, so check-then-write steps on one name run one at a time: on
 * PostgreSQL an advisory transaction lock; SQLite has one writer (and the service one connection) already.
 */
export async function lockForTransaction(trx: Knex.Transaction, name: string): Promise<void> {
  if ((trx.client as { config: { client: unknown } }).config.client !== 'pg') return;
  await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [name]);
}
