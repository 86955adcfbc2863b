import { type Knex } from 'knex';

/**
 * The head guard (009, 012) checked a head's hashes and anchor time only when its seq moved, so a head could be
 * rewritten in place: an anchor moved to the newest record, every record deleted below it, then the anchor's time
 * set back years passed verification as a lawful purge (on SQLite, which has no database clock to catch it), and a
 * last_hash changed in place made the next record link to a forged hash. Records were not checked on insert at all:
 * one written below the anchor (where the purge left the seq free) showed in queries and exports and was never
 * verified, and a head created mid-chain let made-up records verify from its anchor.
 *
 * Now a head's last_hash changes only with its last_seq, its anchor's hash and time only with its anchor_seq; a new
 * head starts empty (genesis); and a record is inserted only at its tenant's head: seq last_seq + 1, prev_hash the
 * head's last_hash (the append creates and locks the head first). Someone with DDL rights can still drop these;
 * the hash chain remains for them.
 */
const PG_FUNCTIONS = ['audit_heads_guard_in_place', 'audit_heads_guard_insert', 'audit_records_guard_insert'];
const GENESIS = `'${'0'.repeat(64)}'`;

export async function up(knex: Knex): Promise<void> {
  if (!isPostgres(knex)) {
    await knex.raw(`
      CREATE TRIGGER audit_heads_in_place BEFORE UPDATE ON audit_chain_heads
      WHEN (NEW.last_seq = OLD.last_seq AND NEW.last_hash IS NOT OLD.last_hash)
        OR (NEW.anchor_seq = OLD.anchor_seq
            AND (NEW.anchor_hash IS NOT OLD.anchor_hash OR NEW.anchor_time IS NOT OLD.anchor_time))
      BEGIN SELECT RAISE(ABORT, 'an audit chain head and its anchor change only by moving forward'); END`);
    await knex.raw(`
      CREATE TRIGGER audit_heads_start_empty BEFORE INSERT ON audit_chain_heads
      WHEN NEW.last_seq <> 0 OR NEW.anchor_seq <> 0 OR NEW.last_hash <> ${GENESIS}
        OR NEW.anchor_hash <> ${GENESIS} OR NEW.anchor_time IS NOT NULL
      BEGIN SELECT RAISE(ABORT, 'an audit chain head starts empty'); END`);
    await knex.raw(`
      CREATE TRIGGER audit_records_at_head BEFORE INSERT ON audit_records
      WHEN NOT EXISTS (SELECT 1 FROM audit_chain_heads h
                        WHERE h.tenant = NEW.tenant AND NEW.seq = h.last_seq + 1 AND NEW.prev_hash = h.last_hash)
      BEGIN SELECT RAISE(ABORT, 'audit records are appended at the chain head, linking to it'); END`);
    return;
  }
  const schema = await currentSchema(knex);
  const fn = (name: string, body: string) => `
    CREATE FUNCTION ${name}() RETURNS trigger
    SET search_path = ${schema}, pg_temp AS $$
    BEGIN
      ${body}
    END; $$ LANGUAGE plpgsql`;
  await knex.raw(
    fn(
      'audit_heads_guard_in_place',
      `IF (NEW.last_seq = OLD.last_seq AND NEW.last_hash IS DISTINCT FROM OLD.last_hash)
          OR (NEW.anchor_seq = OLD.anchor_seq AND (NEW.anchor_hash IS DISTINCT FROM OLD.anchor_hash
              OR NEW.anchor_time IS DISTINCT FROM OLD.anchor_time)) THEN
        RAISE EXCEPTION 'an audit chain head and its anchor change only by moving forward';
      END IF;
      RETURN NEW;`,
    ),
  );
  await knex.raw(`
    CREATE TRIGGER audit_heads_in_place BEFORE UPDATE ON audit_chain_heads
    FOR EACH ROW EXECUTE FUNCTION audit_heads_guard_in_place()`);
  await knex.raw(
    fn(
      'audit_heads_guard_insert',
      `IF NEW.last_seq <> 0 OR NEW.anchor_seq <> 0 OR NEW.last_hash <> ${GENESIS}
          OR NEW.anchor_hash <> ${GENESIS} OR NEW.anchor_time IS NOT NULL THEN
        RAISE EXCEPTION 'an audit chain head starts empty';
      END IF;
      RETURN NEW;`,
    ),
  );
  await knex.raw(`
    CREATE TRIGGER audit_heads_start_empty BEFORE INSERT ON audit_chain_heads
    FOR EACH ROW EXECUTE FUNCTION audit_heads_guard_insert()`);
  await knex.raw(
    fn(
      'audit_records_guard_insert',
      `IF NOT EXISTS (SELECT 1 FROM audit_chain_heads h
                       WHERE h.tenant = NEW.tenant AND NEW.seq = h.last_seq + 1 AND NEW.prev_hash = h.last_hash) THEN
        RAISE EXCEPTION 'audit records are appended at the chain head, linking to it';
      END IF;
      RETURN NEW;`,
    ),
  );
  await knex.raw(`
    CREATE TRIGGER audit_records_at_head BEFORE INSERT ON audit_records
    FOR EACH ROW EXECUTE FUNCTION audit_records_guard_insert()`);
}

export async function down(knex: Knex): Promise<void> {
  if (!isPostgres(knex)) {
    for (const name of ['audit_heads_in_place', 'audit_heads_start_empty', 'audit_records_at_head'])
      await knex.raw(`DROP TRIGGER IF EXISTS ${name}`);
    return;
  }
  await knex.raw('DROP TRIGGER IF EXISTS audit_heads_in_place ON audit_chain_heads');
  await knex.raw('DROP TRIGGER IF EXISTS audit_heads_start_empty ON audit_chain_heads');
  await knex.raw('DROP TRIGGER IF EXISTS audit_records_at_head ON audit_records');
  for (const name of PG_FUNCTIONS) await knex.raw(`DROP FUNCTION IF EXISTS ${name}()`);
}

/** The schema the migration runs in, quoted as an identifier. */
async function currentSchema(knex: Knex): Promise<string> {
  const { rows } = await knex.raw<{ rows: { schema: string }[] }>('SELECT current_schema() AS schema');
  return knex.raw('??', [rows[0]!.schema]).toQuery();
}

function isPostgres(knex: Knex): boolean {
  return (knex.client as Knex.Client).config.client === 'pg';
}
