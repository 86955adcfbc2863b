import { type Knex } from 'knex';
import { ConfigError } from '../config';
import { VARS } from '../config/schema';
import { migrateToLatest, openDatabase, withMigrationLock } from './database';
import { parseDatabaseUrl } from './database-url';

export interface MigrateOptions {
  /**
   * PostgreSQL: the role the API and workers connect as (DATABASE_SERVICE_ROLE). After migrating, it is given
   * exactly the data rights the service uses on every table and sequence of the schema, and nothing else.
   */
  serviceRole?: string;
}

export interface MigrateResult {
  /** Migrations run now, in order (empty: the schema was current). */
  applied: string[];
  /** The rights the service role holds afterwards, per table (absent without a service role). */
  grants?: ServiceRoleGrants;
}

export interface ServiceRoleGrants {
  role: string;
  schema: string;
  tables: Record<string, readonly TableRight[]>;
}

/**
 * The migrate command: brings the schema to the latest version as the database's owner (migrators take turns,
 * as in createDatabase), then grants the service role its rights. Run at every deploy: both steps are idempotent.
 */
export async function migrateDatabase(
  databaseUrl: string,
  options: MigrateOptions = {},
): Promise<MigrateResult> {
  const role = options.serviceRole === undefined ? undefined : parseServiceRole(options.serviceRole);
  if (role !== undefined && parseDatabaseUrl(databaseUrl).dialect !== 'postgres') {
    throw new ConfigError([
      { name: 'DATABASE_SERVICE_ROLE', message: 'applies to PostgreSQL only (DATABASE_URL is sqlite:)' },
    ]);
  }
  // Two connections: one holds the migration lock while the other migrates.
  const db = await openDatabase(databaseUrl, { maxConnections: 2 });
  try {
    const applied = await migrateToLatest(db);
    if (role === undefined) return { applied };
    const grants = await withMigrationLock(db, () => grantServiceRole(db.knex, role));
    return { applied, grants };
  } finally {
    await db.close();
  }
}

/** A role name as DATABASE_SERVICE_ROLE accepts it; anything else is a configuration error, never SQL. */
export function parseServiceRole(role: string): string {
  const result = VARS.DATABASE_SERVICE_ROLE.schema.safeParse(role);
  if (!result.success || result.data === undefined) {
    const message = result.success
      ? 'must not be empty'
      : result.error.issues.map((i) => i.message).join(', ');
    throw new ConfigError([{ name: 'DATABASE_SERVICE_ROLE', message }]);
  }
  return result.data;
}

type TableRight = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE' | 'REFERENCES' | 'TRIGGER';
const ALL_RIGHTS: readonly TableRight[] = [
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'TRUNCATE',
  'REFERENCES',
  'TRIGGER',
];

/** Every other table: the service reads and writes its rows. */
const DATA_RIGHTS: readonly TableRight[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];

/** Tables where the service does less than that, and what it does (src/audit, createDatabase). */
const TABLE_RIGHTS: Readonly<Record<string, readonly TableRight[]>> = {
  // Appended and read; removed only by the retention purge (a trigger refuses any other DELETE); never changed.
  audit_records: ['SELECT', 'INSERT', 'DELETE'],
  // Created on a tenant's first record, locked (SELECT ... FOR UPDATE needs UPDATE) and moved forward (a trigger
  // refuses anything else); never deleted.
  audit_chain_heads: ['SELECT', 'INSERT', 'UPDATE'],
  // What the service last knew of each tenant's session workflow (src/sessions/session-workflows.ts): recorded and
  // replaced by a newer run, never deleted by the service.
  portal_session_workflows: ['SELECT', 'INSERT', 'UPDATE'],
  // Read to check the schema is current (DATABASE_MIGRATE=false); only the migrate command writes them.
  knex_migrations: ['SELECT'],
  knex_migrations_lock: [],
};

/**
 * Grants `role` exactly its rights on every table and sequence of the current schema, revoking any others, in one
 * transaction. Refuses (changing nothing) a role that could still alter the schema: a superuser, one that can
 * create roles, a member of the migrating role, the owner of anything here, or one holding more than its rights
 * through PUBLIC or another role.
 */
async function grantServiceRole(knex: Knex, role: string): Promise<ServiceRoleGrants> {
  return knex.transaction(async (trx) => {
    const { rows: here } = await trx.raw<{
      rows: { owner: string; schema: string | null; database: string }[];
    }>('SELECT current_user AS owner, current_schema() AS schema, current_database() AS database');
    const { owner, schema, database } = here[0]!;
    if (schema === null) throw new Error('no current schema: the search_path names no existing schema');
    if (role === owner) {
      throw new ConfigError([
        {
          name: 'DATABASE_SERVICE_ROLE',
          message: `is the role migrating (${owner}); the service connects as another role`,
        },
      ]);
    }
    await refuseUnsafeRole(trx, role, owner, schema, database);

    // PUBLIC too: every role, the service role included, holds what PUBLIC holds.
    await trx.raw('REVOKE ALL ON ALL TABLES IN SCHEMA ?? FROM PUBLIC, ??', [schema, role]);
    await trx.raw('REVOKE ALL ON ALL SEQUENCES IN SCHEMA ?? FROM PUBLIC, ??', [schema, role]);
    await trx.raw('REVOKE ALL ON SCHEMA ?? FROM ??', [schema, role]);
    await trx.raw('REVOKE CREATE ON DATABASE ?? FROM ??', [database, role]);
    await trx.raw('GRANT CONNECT ON DATABASE ?? TO ??', [database, role]);
    await trx.raw('GRANT USAGE ON SCHEMA ?? TO ??', [schema, role]);
    const tables: Record<string, readonly TableRight[]> = {};
    for (const table of await relations(trx, schema, ['r', 'p'])) {
      const rights = TABLE_RIGHTS[table] ?? DATA_RIGHTS;
      tables[table] = rights;
      // The rights are this file's constants; only names are bound.
      if (rights.length > 0)
        await trx.raw(`GRANT ${rights.join(', ')} ON TABLE ??.?? TO ??`, [schema, table, role]);
    }
    await trx.raw('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ?? TO ??', [schema, role]);

    await refuseExcessRights(trx, role, owner, schema, database, tables);
    return { role, schema, tables };
  });
}

/**
 * A relation `c` an extension created (pg_stat_statements' views, PostGIS's spatial_ref_sys, ...), which hosted
 * PostgreSQL services often install in schema public: the extension's, not the service's, and none of its data.
 */
const NOT_EXTENSION_MEMBER = `NOT EXISTS (SELECT 1 FROM pg_depend d
  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')`;

async function refuseUnsafeRole(
  trx: Knex.Transaction,
  role: string,
  owner: string,
  schema: string,
  database: string,
): Promise<void> {
  const { rows } = await trx.raw<{
    rows: { rolsuper: boolean; rolcreaterole: boolean; member: boolean }[];
  }>(
    `SELECT rolsuper, rolcreaterole, pg_has_role(rolname, ?, 'MEMBER') AS member FROM pg_roles WHERE rolname = ?`,
    [owner, role],
  );
  const found = rows[0];
  const refuse = (why: string): never => {
    throw new Error(`DATABASE_SERVICE_ROLE ${role} ${why}: refusing to grant it the service's rights`);
  };
  if (!found) refuse('does not exist (create it with LOGIN first: README, Production)');
  if (found!.rolsuper) refuse('is a superuser');
  if (found!.rolcreaterole) refuse('can create roles (CREATEROLE)');
  if (found!.member) refuse(`is a member of ${owner}, the role migrating (it could act as the owner)`);

  // An owner can drop or disable triggers, truncate, and rewrite trigger functions: the migrating role owns all.
  const { rows: owned } = await trx.raw<{ rows: { kind: string; name: string; owner: string }[] }>(
    `SELECT 'database' AS kind, datname::text AS name, pg_get_userbyid(datdba)::text AS owner
       FROM pg_database WHERE datname = ? AND pg_get_userbyid(datdba) = ?
     UNION ALL
     SELECT 'schema', nspname::text, pg_get_userbyid(nspowner)::text
       FROM pg_namespace WHERE nspname = ? AND pg_get_userbyid(nspowner) = ?
     UNION ALL
     SELECT CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view' ELSE 'table' END, c.relname::text,
            pg_get_userbyid(c.relowner)::text
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'S', 'v', 'm', 'f') AND pg_get_userbyid(c.relowner) <> ?
        AND ${NOT_EXTENSION_MEMBER}
     UNION ALL
     SELECT 'function', p.oid::regprocedure::text, pg_get_userbyid(p.proowner)::text
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = ? AND pg_get_userbyid(p.proowner) = ?
     ORDER BY 1, 2`,
    [database, role, schema, role, schema, owner, schema, role],
  );
  if (owned.length > 0) {
    const list = owned.map((o) => `${o.kind} ${o.name} (owner ${o.owner})`).join(', ');
    throw new Error(
      `the migrating role ${owner} must own every table and sequence of schema ${schema}, and ${role} nothing: ` +
        `${list}. Hand them over as a superuser (README, Production: upgrading)`,
    );
  }
}

/** Effective rights count those of roles it belongs to (and PUBLIC's on the schema), which no REVOKE here removes. */
async function refuseExcessRights(
  trx: Knex.Transaction,
  role: string,
  owner: string,
  schema: string,
  database: string,
  tables: Record<string, readonly TableRight[]>,
): Promise<void> {
  const { rows } = await trx.raw<{ rows: { relname: string; privilege: TableRight }[] }>(
    `SELECT c.relname::text AS relname, r.privilege
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       CROSS JOIN unnest(?::text[]) AS r(privilege)
      WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND ${NOT_EXTENSION_MEMBER}
        AND CASE WHEN r.privilege IN ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES')
                 THEN has_any_column_privilege(?, c.oid, r.privilege)
                 ELSE has_table_privilege(?, c.oid, r.privilege) END`,
    [[...ALL_RIGHTS], schema, role, role],
  );
  const excess = rows
    .filter((r) => !(tables[r.relname] ?? []).includes(r.privilege))
    .map((r) => `${r.privilege} on ${r.relname}`);
  const { rows: db } = await trx.raw<{ rows: { schema_create: boolean; database_create: boolean }[] }>(
    `SELECT has_schema_privilege(?, ?, 'CREATE') AS schema_create,
            has_database_privilege(?, ?, 'CREATE') AS database_create`,
    [role, schema, role, database],
  );
  if (db[0]!.schema_create) excess.push(`CREATE on schema ${schema}`);
  if (db[0]!.database_create) excess.push(`CREATE on database ${database}`);
  if (excess.length > 0) {
    // Before PostgreSQL 15 schema public belongs to the superuser and PUBLIC may create in it: revoking that alone
    // would leave the migrating role unable to create the tables of later migrations.
    const schemaHint = db[0]!.schema_create
      ? `; for CREATE on schema ${schema}, as a superuser: ALTER SCHEMA ${schema} OWNER TO ${owner}; ` +
        `REVOKE CREATE ON SCHEMA ${schema} FROM PUBLIC (before PostgreSQL 15 the superuser owns schema public)`
      : '';
    throw new Error(
      `DATABASE_SERVICE_ROLE ${role} still holds ${excess.join(', ')} through a role it belongs to or PUBLIC: ` +
        `revoke it there${schemaHint}`,
    );
  }
}

async function relations(trx: Knex.Transaction, schema: string, kinds: string[]): Promise<string[]> {
  const { rows } = await trx.raw<{ rows: { relname: string }[] }>(
    `SELECT c.relname::text AS relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ? AND c.relkind = ANY(?::"char"[]) AND ${NOT_EXTENSION_MEMBER} ORDER BY 1`,
    [schema, kinds],
  );
  return rows.map((r) => r.relname);
}
