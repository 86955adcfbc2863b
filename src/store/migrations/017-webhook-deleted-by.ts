import { type Knex } from 'knex';

/**
 * Who deleted a webhook subscription (the requester, as JSON), kept with the deletion itself: its audit record is
 * written after it, perhaps by a request sent again by someone else, and must name who deleted it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('webhook_subscriptions', (t) => {
    t.text('deleted_by').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('webhook_subscriptions', (t) => {
    t.dropColumn('deleted_by');
  });
}
