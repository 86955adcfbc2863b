import { type Knex } from 'knex';

/**
 * The audit chain. JSON-valued fields are stored as text in both dialects so that what was hashed is what is
 * read back byte for byte; `time` is an ISO-8601 UTC string for the same reason (it sorts lexicographically).
 * The columns duplicated out of the JSON (actor_id, matter_number) exist only for filtering.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_records', (t) => {
    t.string('id', 36).primary();
    t.string('tenant', 64).notNullable();
    t.integer('seq').notNullable();
    t.string('time', 30).notNullable();
    t.string('actor_type', 16).notNullable();
    t.string('actor_id', 200).notNullable();
    t.text('actor_json').notNullable();
    t.string('action', 100).notNullable();
    t.text('target_json').notNullable();
    t.string('matter_number', 100).nullable();
    t.string('workflow_id', 300).notNullable();
    t.string('run_id', 100).notNullable();
    t.string('idempotency_key', 400).notNullable();
    t.string('outcome', 64).notNullable();
    t.text('rationale').nullable();
    t.string('data_hash', 64).nullable();
    t.text('refs_json').nullable();
    t.string('prev_hash', 64).notNullable();
    t.string('hash', 64).notNullable();
    t.unique(['tenant', 'seq']);
    t.unique(['tenant', 'idempotency_key']);
    t.index(['tenant', 'time']);
    t.index(['tenant', 'matter_number']);
    t.index(['tenant', 'actor_id']);
    t.index(['tenant', 'action']);
  });

  // One row per tenant: the lock appends serialize on, the hash the next record links to, and the anchor
  // (last purged record) that verification starts from once retention has removed the oldest records.
  await knex.schema.createTable('audit_chain_heads', (t) => {
    t.string('tenant', 64).primary();
    t.integer('last_seq').notNullable();
    t.string('last_hash', 64).notNullable();
    t.integer('anchor_seq').notNullable();
    t.string('anchor_hash', 64).notNullable();
  });

  // Append-only at the database too: an UPDATE through any client is refused. (Someone with DDL rights can
  // still drop the trigger; that is what the hash chain is for.)
  if (isPostgres(knex)) {
    await knex.raw(`
      CREATE FUNCTION audit_records_refuse_update() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'audit records are append-only'; END;
      $$ LANGUAGE plpgsql`);
    await knex.raw(`
      CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON audit_records
      FOR EACH ROW EXECUTE FUNCTION audit_records_refuse_update()`);
  } else {
    await knex.raw(`
      CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON audit_records
      BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END`);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('audit_chain_heads');
  await knex.schema.dropTableIfExists('audit_records');
  if (isPostgres(knex)) await knex.raw('DROP FUNCTION IF EXISTS audit_records_refuse_update()');
}

function isPostgres(knex: Knex): boolean {
  const client = knex.client as Knex.Client;
  return client.config.client === 'pg';
}
