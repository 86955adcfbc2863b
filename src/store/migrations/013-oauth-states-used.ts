import { type Knex } from 'knex';

/**
 * OAuth states the Clio callback has accepted, each kept until it expires (10 minutes): a state is good for one
 * callback. Signed but reusable, a state seen once (in a browser's history, a proxy's log) could bring an
 * attacker's own authorization code back under the firm's tenant while it lasted, and the firm's workflows would
 * then write to the attacker's Clio account.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('oauth_states_used', (t) => {
    t.string('nonce', 64).primary();
    t.timestamp('expires_at', { useTz: true }).notNullable().index('oauth_states_used_expires_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('oauth_states_used');
}
