import { type Knex } from 'knex';

/**
 * The audit guards (001, 009) name their tables unqualified, so PostgreSQL looked them up in the search path of
 * whoever fired the trigger, where a temporary table of the same name comes first (every role may create one):
 * the service role could hand the delete guard a forged chain head, or the head guard a forged record, and remove
 * records inside the retention window with an anchor verification would accept. Each guard now resolves names in
 * the schema it was created in, and in pg_temp only after it.
 */
const GUARDS = [
  'audit_records_refuse_update',
  'audit_records_guard_delete',
  'audit_heads_guard_update',
  'audit_heads_refuse_delete',
];

export async function up(knex: Knex): Promise<void> {
  if (!isPostgres(knex)) return; // SQLite resolves a trigger's tables in the trigger's own database
  const { rows } = await knex.raw<{ rows: { schema: string }[] }>('SELECT current_schema() AS schema');
  const schema = rows[0]!.schema;
  for (const fn of GUARDS)
    await knex.raw(`ALTER FUNCTION ??() SET search_path = ??, pg_temp`, [`${schema}.${fn}`, schema]);
}

export async function down(knex: Knex): Promise<void> {
  if (!isPostgres(knex)) return;
  for (const fn of GUARDS) await knex.raw(`ALTER FUNCTION ??() RESET search_path`, [fn]);
}

function isPostgres(knex: Knex): boolean {
  return (knex.client as Knex.Client).config.client === 'pg';
}
