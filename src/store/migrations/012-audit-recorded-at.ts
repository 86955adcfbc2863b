import { type Knex } from 'knex';

/**
 * A record's `time` is the service's own clock, so a compromised service could append a back-dated record, move the
 * anchor to it and purge everything before it: the anchor's time said "older than the retention period". On
 * PostgreSQL each record now also carries `recorded_at`, the database's own clock at insert (set by a trigger over
 * whatever the insert says, and never updatable), and an anchor names its record's `recorded_at` too, which
 * verification checks against the retention window as it checks the time. Records from before this migration
 * have none (unknown, not "now"). SQLite gets the columns only: there the service owns the file and its triggers.
 */
export async function up(knex: Knex): Promise<void> {
  const postgres = (knex.client as Knex.Client).config.client === 'pg';
  await knex.schema.alterTable('audit_records', (t) => {
    if (postgres) t.timestamp('recorded_at', { useTz: true }).nullable();
    else t.string('recorded_at', 30).nullable();
  });
  await knex.schema.alterTable('audit_chain_heads', (t) => {
    if (postgres) t.timestamp('anchor_recorded_at', { useTz: true }).nullable();
    else t.string('anchor_recorded_at', 30).nullable();
  });
  if (!postgres) return;
  const schema = await currentSchema(knex);
  await knex.raw(`
    CREATE FUNCTION audit_records_stamp() RETURNS trigger
    SET search_path = ${schema}, pg_temp AS $$
    BEGIN
      NEW.recorded_at := now();
      RETURN NEW;
    END; $$ LANGUAGE plpgsql`);
  await knex.raw(`
    CREATE TRIGGER audit_records_recorded_at BEFORE INSERT ON audit_records
    FOR EACH ROW EXECUTE FUNCTION audit_records_stamp()`);
  await knex.raw(headGuard(schema, { recordedAt: true }));
}

export async function down(knex: Knex): Promise<void> {
  const postgres = (knex.client as Knex.Client).config.client === 'pg';
  if (postgres) {
    await knex.raw('DROP TRIGGER IF EXISTS audit_records_recorded_at ON audit_records');
    await knex.raw('DROP FUNCTION IF EXISTS audit_records_stamp()');
    // The head guard as 009 and 011 left it: the columns it reads are about to go.
    await knex.raw(headGuard(await currentSchema(knex), { recordedAt: false }));
  }
  // Natively (SQLite 3.35+ too): knex would rebuild an SQLite table, which its triggers refuse.
  await knex.raw('ALTER TABLE audit_chain_heads DROP COLUMN anchor_recorded_at');
  await knex.raw('ALTER TABLE audit_records DROP COLUMN recorded_at');
}

/** The schema the migration runs in, quoted as an identifier. */
async function currentSchema(knex: Knex): Promise<string> {
  const { rows } = await knex.raw<{ rows: { schema: string }[] }>('SELECT current_schema() AS schema');
  return knex.raw('??', [rows[0]!.schema]).toQuery();
}

/**
 * 009's head guard, its tables resolved in its own schema (011); with `recordedAt`, a moved anchor also names its
 * record's recorded_at, and an anchor that stays keeps it.
 */
function headGuard(schema: string, { recordedAt }: { recordedAt: boolean }): string {
  const stamp = recordedAt
    ? `
           OR NEW.anchor_recorded_at IS DISTINCT FROM
             (SELECT recorded_at FROM audit_records WHERE tenant = NEW.tenant AND seq = NEW.anchor_seq)`
    : '';
  const keepStamp = recordedAt
    ? `
      IF NEW.anchor_seq = OLD.anchor_seq AND NEW.anchor_recorded_at IS DISTINCT FROM OLD.anchor_recorded_at THEN
        RAISE EXCEPTION 'an audit chain anchor keeps the recorded_at of its record';
      END IF;`
    : '';
  const named = recordedAt ? 'its hash, time and recorded_at' : 'its hash and time';
  return `
    CREATE OR REPLACE FUNCTION audit_heads_guard_update() RETURNS trigger
    SET search_path = ${schema}, pg_temp AS $$
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
             (SELECT time FROM audit_records WHERE tenant = NEW.tenant AND seq = NEW.anchor_seq)${stamp}) THEN
        RAISE EXCEPTION 'an audit chain anchor names the last purged record, with ${named}';
      END IF;${keepStamp}
      RETURN NEW;
    END; $$ LANGUAGE plpgsql`;
}
