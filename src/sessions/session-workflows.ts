import { type Knex } from 'knex';
import { toDate, toOptionalString } from '../store/sql-values';

/** How a tenant's session workflow ended, as the service saw it. No secrets: a status, a sentence, a time. */
export interface EndedSessionWorkflow {
  /** The first run id of the ended chain of runs; undefined when not known. */
  chain: string | undefined;
  /** Temporal's status of the closed run (TERMINATED, FAILED, TIMED_OUT, CANCELED, ...), or NOT_FOUND. */
  status: string;
  reason: string;
  /** When it closed (Temporal's close time), or when the service found it gone. */
  at: Date;
}

/** What the service last knew of a tenant's clioSession workflow. */
export interface SessionWorkflowRecord {
  chain: string | undefined;
  /** Undefined: it was last known to run. */
  ended: Omit<EndedSessionWorkflow, 'chain'> | undefined;
  updatedAt: Date;
}

/**
 * The service's own memory of each tenant's session workflow, which outlives Temporal's (an ended run is removed
 * after the namespace's retention period). A tenant with a record and no session workflow in Temporal had one that
 * ended: it reads as failed until a person retries (sessionReading), rather than as never started.
 */
export interface SessionWorkflowRecords {
  /** What the service last knew of the tenant's session workflow; undefined when none was ever known to run. */
  lastWorkflow(tenant: string): Promise<SessionWorkflowRecord | undefined>;
  /**
   * A session workflow of this chain runs for the tenant. It replaces the record of any other chain, an ended one's
   * too: the chain that runs is what counts. A record of the same chain stays (a look that saw it running may land
   * after one that saw it end). Without a chain, "a session workflow ran" is recorded only where nothing is.
   */
  noteRunning(tenant: string, chain?: string): Promise<void>;
  /**
   * The tenant's session workflow of `ended.chain` ended. Recorded over a record of the same chain or of an unknown
   * one, never over another chain's: that is a newer session (a person's retry started it while this end was being
   * noticed), which an older run's end must not stop. The first end recorded stays.
   */
  noteEnded(tenant: string, ended: EndedSessionWorkflow): Promise<void>;
}

const TABLE = 'portal_session_workflows';

interface Row {
  chain: string | null;
  ended_status: string | null;
  ended_reason: string | null;
  ended_at: unknown;
  updated_at: unknown;
}

/**
 * Records in the service store (migration 014). `noteRunning` is asked on every look at a running session (each bill
 * PDF, each portal call): this process writes a chain once, later looks at it cost nothing.
 */
export function createSessionWorkflowRecords(
  knex: Knex,
  now: () => Date = () => new Date(),
): SessionWorkflowRecords {
  /** Tenant → the chain this process last recorded as running (a record only a newer chain replaces). */
  const notedRunning = new Map<string, string>();
  return {
    async lastWorkflow(tenant) {
      const row = (await knex(TABLE).where({ tenant }).first()) as Row | undefined;
      if (!row) return undefined;
      const status = toOptionalString(row.ended_status);
      return {
        chain: toOptionalString(row.chain),
        ended:
          status === undefined
            ? undefined
            : {
                status,
                reason: toOptionalString(row.ended_reason) ?? `The session workflow ended (${status})`,
                at: row.ended_at === null ? toDate(row.updated_at) : toDate(row.ended_at),
              },
        updatedAt: toDate(row.updated_at),
      };
    },
    async noteRunning(tenant, chain) {
      if (chain === undefined) {
        await noteSessionRan(knex, tenant, now());
        return;
      }
      if (notedRunning.get(tenant) === chain) return;
      await knex(TABLE)
        .insert({ tenant, chain, ended_status: null, ended_reason: null, ended_at: null, updated_at: now() })
        .onConflict('tenant')
        .merge(['chain', 'ended_status', 'ended_reason', 'ended_at', 'updated_at'])
        .whereRaw(`${TABLE}.chain IS NULL OR ${TABLE}.chain <> excluded.chain`);
      notedRunning.set(tenant, chain);
    },
    async noteEnded(tenant, ended) {
      notedRunning.delete(tenant);
      await knex(TABLE)
        .insert({
          tenant,
          chain: ended.chain ?? null,
          ended_status: ended.status.slice(0, 32),
          ended_reason: ended.reason.slice(0, 500),
          ended_at: ended.at,
          updated_at: now(),
        })
        .onConflict('tenant')
        .merge(['chain', 'ended_status', 'ended_reason', 'ended_at', 'updated_at'])
        .whereRaw(
          `(${TABLE}.chain IS NULL OR ${TABLE}.chain = excluded.chain) AND ${TABLE}.ended_status IS NULL`,
        );
    },
  };
}

/**
 * "A session workflow ran for this tenant", where nothing is recorded yet. The session store notes it with every
 * sign-in it saves, whoever started the workflow (a worker at start, a portal call), so even a session nobody
 * looked at is remembered once it has signed in.
 */
export async function noteSessionRan(knex: Knex, tenant: string, at: Date): Promise<void> {
  await knex(TABLE)
    .insert({ tenant, chain: null, ended_status: null, ended_reason: null, ended_at: null, updated_at: at })
    .onConflict('tenant')
    .ignore();
}
