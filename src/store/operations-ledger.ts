import { type Knex } from 'knex';
import { z } from 'zod';
import { toDate, toOptionalString } from './sql-values';
import { lockForTransaction } from './transaction-lock';

export interface OperationInput {
  tenant: string;
  /** What the operation does, e.g. `clio.matter.create`. */
  kind: string;
  /** Id of what was created or changed in the external system, once known. */
  externalId?: string | null;
  /** e.g. `started`, `succeeded`, `failed`. */
  outcome: string;
}

export interface Operation {
  key: string;
  tenant: string;
  kind: string;
  externalId?: string;
  outcome: string;
  createdAt: Date;
  updatedAt: Date;
}

const keySchema = z.string().min(1).max(400);
const inputSchema = z.object({
  tenant: z.string().min(1).max(64),
  kind: z.string().min(1).max(100),
  externalId: z.string().min(1).max(200).nullish(),
  outcome: z.string().min(1).max(64),
});

export interface OperationsLedger {
  get(key: string): Promise<Operation | undefined>;
  /**
   * Upsert: the first call creates the entry, later calls update kind, external id and outcome. Throws
   * ExternalIdHeld when another operation of the tenant and kind holds the external id already.
   */
  record(key: string, input: OperationInput): Promise<Operation>;
  /** Which of these external ids an operation of this tenant and kind already holds, and which operation. */
  holders(tenant: string, kind: string, externalIds: string[]): Promise<Map<string, string>>;
  /** Deletes entries last touched before `before`; returns how many. */
  prune(before: Date): Promise<number>;
}

const TABLE = 'operations';

/**
 * Another operation of the tenant already holds this external id: two retries took one look-alike in Clio for
 * their own. The one refused searches again (its retry), finds it held and looks further, or writes its own.
 */
export class ExternalIdHeld extends Error {
  override readonly name = 'ExternalIdHeld';
  constructor(readonly holder: string) {
    super(`Another operation (${holder}) already holds this external id`);
  }
}

export function createOperationsLedger(knex: Knex, now: () => Date = () => new Date()): OperationsLedger {
  const get = async (key: string): Promise<Operation | undefined> => {
    const row = (await knex(TABLE)
      .where({ key: keySchema.parse(key) })
      .first()) as Row | undefined;
    return row ? fromRow(row) : undefined;
  };
  return {
    get,
    record: async (key, input) => {
      const k = keySchema.parse(key);
      const op = inputSchema.parse(input);
      const at = now();
      const values = {
        tenant: op.tenant,
        kind: op.kind,
        external_id: op.externalId ?? null,
        outcome: op.outcome,
      };
      const externalId = op.externalId ?? null;
      await knex.transaction(async (trx) => {
        if (externalId !== null) {
          // Check and write one at a time per external id: two records checking side by side would both pass.
          await lockForTransaction(trx, `${TABLE}:${op.tenant}:${op.kind}:${externalId}`);
          const other = (await trx(TABLE)
            .select('key')
            .where({ tenant: op.tenant, kind: op.kind, external_id: externalId })
            .whereNot({ key: k })
            .first()) as { key: string } | undefined;
          if (other) throw new ExternalIdHeld(other.key);
        }
        await trx(TABLE)
          .insert({ key: k, ...values, created_at: at, updated_at: at })
          .onConflict('key')
          // A later record without an external id must not erase the one an earlier step learned.
          .merge(
            externalId === null
              ? { kind: values.kind, outcome: values.outcome, updated_at: at }
              : { ...values, updated_at: at },
          );
      });
      const stored = await get(k);
      if (!stored) throw new Error('operation vanished right after upsert');
      return stored;
    },
    holders: async (tenant, kind, externalIds) => {
      if (externalIds.length === 0) return new Map();
      const rows = (await knex(TABLE)
        .select('key', 'external_id')
        .where({ tenant, kind })
        .whereIn('external_id', externalIds)) as { key: string; external_id: string }[];
      return new Map(rows.map((r) => [r.external_id, r.key]));
    },
    prune: async (before) => Number(await knex(TABLE).where('updated_at', '<', before).delete()),
  };
}

interface Row {
  key: string;
  tenant: string;
  kind: string;
  external_id: string | null;
  outcome: string;
  created_at: unknown;
  updated_at: unknown;
}

function fromRow(row: Row): Operation {
  const externalId = toOptionalString(row.external_id);
  return {
    key: row.key,
    tenant: row.tenant,
    kind: row.kind,
    ...(externalId === undefined ? {} : { externalId }),
    outcome: row.outcome,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}
