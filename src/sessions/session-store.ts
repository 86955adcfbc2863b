import { randomUUID } from 'node:crypto';
import { type Knex } from 'knex';
import { z } from 'zod';
import { type SessionMaterial } from '../integrations/clio-portal/types';
import { Sealer } from './sealer';
import {
  createSessionWorkflowRecords,
  noteSessionRan,
  type SessionWorkflowRecords,
} from './session-workflows';

export interface StoredSession {
  generation: number;
  material: SessionMaterial;
}

/** Session material and MFA codes (sealed), and what the service last knew of each tenant's session workflow. */
export interface SessionStore extends SessionWorkflowRecords {
  /**
   * Idempotent per (tenant, generation): a retried sign-in overwrites its own generation only. A tenant with nothing
   * recorded of its session workflow gets "a session workflow ran" (SessionWorkflowRecords), whoever started it.
   */
  saveMaterial(tenant: string, generation: number, material: SessionMaterial): Promise<void>;
  /** The newest generation's material (or one given generation's). */
  loadMaterial(tenant: string, generation?: number): Promise<StoredSession | undefined>;
  /** Seals an MFA code and returns the reference a signal may carry instead of the code. */
  putMfaCode(tenant: string, code: string): Promise<string>;
  /** The code behind a reference, or undefined when unknown (or another tenant's). */
  readMfaCode(tenant: string, ref: string): Promise<string | undefined>;
  /** Removes a used code, and codes older than the given age. */
  dropMfaCode(tenant: string, ref: string): Promise<void>;
  /** Keeps the newest `keep` generations of a tenant (older cookies are dead anyway). */
  prune(tenant: string, keep: number): Promise<void>;
}

const MaterialSchema = z.object({
  cookies: z.array(
    z.object({
      name: z.string(),
      value: z.string(),
      domain: z.string(),
      path: z.string(),
      expires: z.number(),
    }),
  ),
  csrfToken: z.string(),
  signedInAt: z.string(),
  signedInAs: z.string().optional(),
});

const SESSIONS = 'portal_sessions';
const CODES = 'portal_mfa_codes';
/** SMS codes live 10 minutes; nothing older is worth keeping. */
const CODE_MAX_AGE_MS = 30 * 60_000;

export function createSessionStore(
  knex: Knex,
  key: Buffer,
  now: () => Date = () => new Date(),
): SessionStore {
  const sealer = new Sealer(key);
  const sessionAad = (tenant: string, generation: number) => `portal-session:${tenant}:${generation}`;
  const codeAad = (tenant: string, ref: string) => `mfa-code:${tenant}:${ref}`;
  return {
    ...createSessionWorkflowRecords(knex, now),
    async saveMaterial(tenant, generation, material) {
      const sealed = sealer.seal(
        JSON.stringify(MaterialSchema.parse(material)),
        sessionAad(tenant, generation),
      );
      await knex.transaction(async (trx) => {
        // Generations only grow within one session workflow; rows at or above this one belong to an earlier
        // session workflow of the tenant (one that ended, whose successor counts from 1 again). Left there, the
        // newest row would be its dead cookies, and pruning would delete the live generation instead.
        await trx(SESSIONS).where({ tenant }).andWhere('generation', '>=', generation).delete();
        // Two saves of one generation (an activity retried while its first attempt still ran) race past the
        // delete under PostgreSQL's isolation: the later one wins instead of failing on the key.
        await trx(SESSIONS)
          .insert({ tenant, generation, sealed, created_at: now() })
          .onConflict(['tenant', 'generation'])
          .merge();
        // Signed in: should its workflow end and Temporal forget it unseen, the tenant still reads as ended.
        await noteSessionRan(trx, tenant, now());
      });
    },
    async loadMaterial(tenant, generation) {
      const query = knex(SESSIONS).where({ tenant });
      const row = (await (generation === undefined
        ? query.orderBy('generation', 'desc').first()
        : query.andWhere({ generation }).first())) as
        { generation: number | string; sealed: string } | undefined;
      if (!row) return undefined;
      const gen = Number(row.generation);
      const material = MaterialSchema.parse(JSON.parse(sealer.open(row.sealed, sessionAad(tenant, gen))));
      return { generation: gen, material };
    },
    async putMfaCode(tenant, code) {
      const ref = randomUUID();
      await knex(CODES)
        .where('created_at', '<', new Date(now().getTime() - CODE_MAX_AGE_MS))
        .delete();
      await knex(CODES).insert({
        ref,
        tenant,
        sealed: sealer.seal(code, codeAad(tenant, ref)),
        created_at: now(),
      });
      return ref;
    },
    async readMfaCode(tenant, ref) {
      const row = (await knex(CODES).where({ ref, tenant }).first()) as { sealed: string } | undefined;
      return row ? sealer.open(row.sealed, codeAad(tenant, ref)) : undefined;
    },
    async dropMfaCode(tenant, ref) {
      await knex(CODES).where({ ref, tenant }).delete();
    },
    async prune(tenant, keep) {
      const rows: { generation: number }[] = await knex(SESSIONS)
        .where({ tenant })
        .orderBy('generation', 'desc')
        .offset(keep)
        .select('generation');
      if (rows.length > 0)
        await knex(SESSIONS)
          .where({ tenant })
          .whereIn(
            'generation',
            rows.map((r) => r.generation),
          )
          .delete();
    },
  };
}
