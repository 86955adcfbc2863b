import { type Knex } from 'knex';

/** The API's Idempotency-Key memory: the first answer to a (tenant, key), kept until expires_at. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('idempotency_keys', (t) => {
    t.increments('id').primary();
    t.string('tenant', 64).notNullable();
    t.string('key', 255).notNullable();
    t.string('request_hash', 64).notNullable();
    t.integer('status_code').notNullable();
    // Serialized JSON text: identical in both dialects and free of pg's json/jsonb reformatting.
    t.text('response_body').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.unique(['tenant', 'key']);
    t.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('idempotency_keys');
}
