import { type Knex } from 'knex';

/**
 * The person an API key acts for (`npm run apikey -- create --user`): the audit trail names the person rather
 * than the key, and an approval can be told apart from the request it approves when one person holds several
 * keys. Keys made before have none and act as themselves.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_keys', (t) => {
    t.string('user_id', 200).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_keys', (t) => {
    t.dropColumn('user_id');
  });
}
