import { type Knex } from 'knex';

/**
 * Browser-session material of the Clio portal (cookies, CSRF token), sealed with AES-256-GCM, one row per tenant
 * and session generation; and MFA codes handed in through the API, sealed and used once, so a Temporal signal
 * carries only their reference.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('portal_sessions', (t) => {
    t.string('tenant', 64).notNullable();
    t.integer('generation').notNullable();
    t.text('sealed').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.primary(['tenant', 'generation']);
  });
  await knex.schema.createTable('portal_mfa_codes', (t) => {
    t.string('ref', 64).primary();
    t.string('tenant', 64).notNullable();
    t.text('sealed').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['tenant']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('portal_mfa_codes');
  await knex.schema.dropTableIfExists('portal_sessions');
}
