import { type Knex } from 'knex';

/**
 * Clio OAuth tokens per tenant, sealed with AES-256-GCM by src/integrations/clio/oauth/token-store.ts (the
 * columns hold `v1:<key id>:<iv>:<tag>:<ciphertext>`, never a token).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('clio_oauth_tokens', (t) => {
    t.string('tenant', 64).primary();
    t.text('access_token').notNullable();
    t.text('refresh_token').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.string('key_id', 16).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('clio_oauth_tokens');
}
