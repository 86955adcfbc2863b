import { type Knex } from 'knex';

/**
 * What the service last knew of each tenant's clioSession workflow: that one ran (and which chain of runs), and, once
 * it ended, how (TERMINATED, FAILED, ...) and when. Temporal forgets an ended run after the namespace's retention
 * period; without this row the session would then count as never started and the next portal call or bill PDF would
 * sign in again, undoing the operator's stop. A tenant with a row and no session workflow in Temporal reads as
 * failed until a person's retry (src/sessions/session-reading.ts). No secrets: ids, a status, a sentence, times.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('portal_session_workflows', (t) => {
    t.string('tenant', 64).primary();
    // The first run id of the chain (continue-as-new keeps it); null when only "a session ran" is known.
    t.string('chain', 64).nullable();
    // Null while the workflow was last known to run.
    t.string('ended_status', 32).nullable();
    t.string('ended_reason', 500).nullable();
    t.timestamp('ended_at', { useTz: true }).nullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('portal_session_workflows');
}
