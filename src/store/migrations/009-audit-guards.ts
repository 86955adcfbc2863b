import { type Knex } from 'knex';

/**
 * Append-only beyond UPDATE. A record leaves only by the retention purge, which first moves its tenant's anchor
 * past it; a chain head only moves forward, names the record it ends at, and its anchor names the last purged
 * record with that record's hash and time (which verification checks against the retention window). Without this,
 * a DELETE and a head rewound to match left a chain that verified. Someone with DDL rights can still drop these
 * triggers; the hash chain and the anchor's time remain for them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_chain_heads', (t) => {
    t.string('anchor_time', 30).nullable();
  });
  if (isPostgres(knex)) {
    await knex.raw(`
      CREATE FUNCTION audit_records_guard_delete() RETURNS trigger AS $$
      BEGIN
        IF OLD.seq > COALESCE((SELECT anchor_seq FROM audit_chain_heads WHERE tenant = OLD.tenant), 0) THEN
          RAISE EXCEPTION 'audit records are removed only by the retention purge, below the chain anchor';
        END IF;
        RETURN OLD;
      END; $$ LANGUAGE plpgsql`);
    await knex.raw(`
      CREATE TRIGGER audit_records_no_delete BEFORE DELETE ON audit_records
      FOR EACH ROW EXECUTE FUNCTION audit_records_guard_delete()`);
    await knex.raw(`
      CREATE FUNCTION audit_heads_guard_update() RETURNS trigger AS $$
      BEGIN
        IF NEW.tenant <> OLD.tenant OR NEW.last_seq < OLD.last_seq OR NEW.anchor_seq < OLD.anchor_seq
           OR NEW.anchor_seq > NEW.last_seq THEN
          RAISE EXCEPTION 'an audit chain head only moves forward';
        END IF;
        IF NEW.last_seq <> OLD.last_seq AND NEW.last_hash IS DISTINCT FROM
           (SELECT hash FROM audit_records WHERE tenant = NEW.tenant AND seq = NEW.last_seq) THEN
          RAISE EXCEPTION 'an audit chain head names the record it ends at';
        END IF;
        IF NEW.anchor_seq <> OLD.anchor_seq AND (
             NEW.anchor_hash IS DISTINCT FROM
               (SELECT hash FROM audit_records WHERE tenant = NEW.tenant AND seq = NEW.anchor_seq)
             OR NEW.anchor_time IS DISTINCT FROM
               (SELECT time FROM audit_records WHERE tenant = NEW.tenant AND seq = NEW.anchor_seq)) THEN
          RAISE EXCEPTION 'an audit chain anchor names the last purged record, with its hash and time';
        END IF;
        RETURN NEW;
      END; $$ LANGUAGE plpgsql`);
    await knex.raw(`
      CREATE TRIGGER audit_heads_forward_only BEFORE UPDATE ON audit_chain_heads
      FOR EACH ROW EXECUTE FUNCTION audit_heads_guard_update()`);
    await knex.raw(`
      CREATE FUNCTION audit_heads_refuse_delete() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'audit chain heads are never deleted'; END;
      $$ LANGUAGE plpgsql`);
    await knex.raw(`
      CREATE TRIGGER audit_heads_no_delete BEFORE DELETE ON audit_chain_heads
      FOR EACH ROW EXECUTE FUNCTION audit_heads_refuse_delete()`);
    return;
  }
  await knex.raw(`
    CREATE TRIGGER audit_records_no_delete BEFORE DELETE ON audit_records
    WHEN OLD.seq > COALESCE((SELECT anchor_seq FROM audit_chain_heads WHERE tenant = OLD.tenant), 0)
    BEGIN SELECT RAISE(ABORT, 'audit records are removed only by the retention purge, below the chain anchor'); END`);
  await knex.raw(`
    CREATE TRIGGER audit_heads_forward_only BEFORE UPDATE ON audit_chain_heads
    WHEN NEW.tenant <> OLD.tenant OR NEW.last_seq < OLD.last_seq OR NEW.anchor_seq < OLD.anchor_seq
      OR NEW.anchor_seq > NEW.last_seq
      OR (NEW.last_seq <> OLD.last_seq AND NEW.last_hash IS NOT
          (SELECT hash FROM audit_records WHERE tenant = NEW.tenant AND seq = NEW.last_seq))
      OR (NEW.anchor_seq <> OLD.anchor_seq AND (
          NEW.anchor_hash IS NOT (SELECT hash FROM audit_records WHERE tenant = NEW.tenant AND seq = NEW.anchor_seq)
          OR NEW.anchor_time IS NOT (SELECT time FROM audit_records WHERE tenant = NEW.tenant AND seq = NEW.anchor_seq)))
    BEGIN SELECT RAISE(ABORT, 'an audit chain head only moves forward, to records that exist'); END`);
  await knex.raw(`
    CREATE TRIGGER audit_heads_no_delete BEFORE DELETE ON audit_chain_heads
    BEGIN SELECT RAISE(ABORT, 'audit chain heads are never deleted'); END`);
}

export async function down(knex: Knex): Promise<void> {
  if (isPostgres(knex)) {
    await knex.raw('DROP TRIGGER IF EXISTS audit_records_no_delete ON audit_records');
    await knex.raw('DROP TRIGGER IF EXISTS audit_heads_forward_only ON audit_chain_heads');
    await knex.raw('DROP TRIGGER IF EXISTS audit_heads_no_delete ON audit_chain_heads');
    await knex.raw('DROP FUNCTION IF EXISTS audit_records_guard_delete()');
    await knex.raw('DROP FUNCTION IF EXISTS audit_heads_guard_update()');
    await knex.raw('DROP FUNCTION IF EXISTS audit_heads_refuse_delete()');
  } else {
    await knex.raw('DROP TRIGGER IF EXISTS audit_records_no_delete');
    await knex.raw('DROP TRIGGER IF EXISTS audit_heads_forward_only');
    await knex.raw('DROP TRIGGER IF EXISTS audit_heads_no_delete');
  }
  await knex.schema.alterTable('audit_chain_heads', (t) => {
    t.dropColumn('anchor_time');
  });
}

function isPostgres(knex: Knex): boolean {
  return (knex.client as Knex.Client).config.client === 'pg';
}
