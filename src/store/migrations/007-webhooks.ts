import { type Knex } from 'knex';

/** Webhook subscriptions (secret sealed at rest) and the log of every delivery attempt. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_subscriptions', (t) => {
    t.string('id', 40).primary();
    t.string('tenant', 64).notNullable();
    t.string('url', 2048).notNullable();
    t.text('events').notNullable();
    t.text('secret_sealed').notNullable();
    t.integer('consecutive_failures').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('disabled_at', { useTz: true }).nullable();
    t.string('disabled_reason', 300).nullable();
    t.timestamp('deleted_at', { useTz: true }).nullable();
    t.index(['tenant']);
  });
  await knex.schema.createTable('webhook_deliveries', (t) => {
    t.increments('id').primary();
    t.string('delivery_id', 80).notNullable();
    t.string('subscription_id', 40).notNullable();
    t.string('event_id', 400).notNullable();
    t.string('event_type', 100).notNullable();
    t.integer('attempt').notNullable();
    t.string('outcome', 20).notNullable();
    t.integer('response_status').nullable();
    t.string('error', 500).nullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.index(['subscription_id', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('webhook_deliveries');
  await knex.schema.dropTableIfExists('webhook_subscriptions');
}
