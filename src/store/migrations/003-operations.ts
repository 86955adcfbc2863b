import { type Knex } from 'knex';

/**
 * Ledger of side effects on systems without idempotency keys (Clio): an activity records the external id it
 * created under its own key (workflow id + step), so a retry finds it instead of creating a duplicate.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('operations', (t) => {
    t.string('key', 400).primary();
    t.string('tenant', 64).notNullable();
    t.string('kind', 100).notNullable();
    t.string('external_id', 200).nullable();
    t.string('outcome', 64).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['tenant', 'kind']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('operations');
}
