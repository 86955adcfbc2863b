import { type Knex } from 'knex';

/**
 * The housekeeping sweep deletes by time (every 10 minutes): old delivery attempts and old ledger entries. Without
 * an index on the time each delete scans its whole table.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('webhook_deliveries', (t) => t.index(['at'], 'webhook_deliveries_at'));
  await knex.schema.alterTable('operations', (t) => t.index(['updated_at'], 'operations_updated_at'));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('operations', (t) => t.dropIndex(['updated_at'], 'operations_updated_at'));
  await knex.schema.alterTable('webhook_deliveries', (t) => t.dropIndex(['at'], 'webhook_deliveries_at'));
}
