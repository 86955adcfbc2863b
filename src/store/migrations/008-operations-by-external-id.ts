import { type Knex } from 'knex';

/** A retry asks which of the records it found are already another operation's: by external id. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('operations', (t) => {
    t.index(['tenant', 'kind', 'external_id'], 'operations_by_external_id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('operations', (t) => {
    t.dropIndex(['tenant', 'kind', 'external_id'], 'operations_by_external_id');
  });
}
