import { type Knex } from 'knex';

/** API keys: only a hash of the secret is kept; the key itself is shown once, when it is created. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('api_keys', (t) => {
    t.string('id', 32).primary();
    t.string('tenant', 64).notNullable();
    t.string('role', 20).notNullable();
    t.string('name', 200).notNullable();
    t.string('secret_hash', 64).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('revoked_at', { useTz: true }).nullable();
    t.index(['tenant']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('api_keys');
}
