import { z } from 'zod';

/**
 * What an audit record says: who did what to which target, in which workflow step, with what outcome.
 * Only references and hashes of business data go in, never document text or secrets: the bounded string
 * lengths below are a guard against someone pasting content into `refs` or `rationale`.
 */
const shortText = (max: number) => z.string().min(1).max(max);

export const actorSchema = z.strictObject({
  type: z.enum(['user', 'api_key', 'system']),
  id: shortText(200),
  role: shortText(64).optional(),
  apiKeyId: shortText(200).optional(),
});

export const targetSchema = z.strictObject({
  kind: shortText(64),
  /** External ids of the target, e.g. `{ clioMatterId: 123, imanageDocumentId: 'ACTIVE!12.1' }`. */
  ids: z.record(shortText(64), z.union([shortText(200), z.number().finite()])).default({}),
  matterNumber: shortText(100).optional(),
});

export const appendInputSchema = z
  .strictObject({
    tenant: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'tenant: letters, digits, _ . - (max 64)'),
    actor: actorSchema,
    /** `noun.verb_past`, e.g. `matter.created`, `time_entry.created`, `session.mfa_supplied`. */
    action: z
      .string()
      .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, 'action like matter.created')
      .max(100),
    target: targetSchema,
    /** The workflow that acted; an operator's command outside any workflow names itself `operator:<command>`. */
    workflowId: shortText(300),
    /** The workflow's run, or the command's invocation. */
    runId: shortText(100),
    /** Unique per tenant; workflow id + step, so a retried activity finds its record instead of writing twice. */
    idempotencyKey: shortText(400),
    /** e.g. `succeeded`, `failed`, `rejected`, `approved`. */
    outcome: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/, 'outcome like succeeded')
      .max(64),
    rationale: z.string().min(1).max(2000).optional(),
    /** sha256 hex of the business data the step acted on (see `hashData`), instead of the data itself. */
    dataHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'sha256 hex')
      .optional(),
    refs: z
      .record(shortText(64), shortText(300))
      .refine((r) => Object.keys(r).length <= 32, 'at most 32 refs')
      .refine((r) => !Object.keys(r).some((k) => SECRET_NAME.test(k)), 'refs must not name a secret')
      .optional(),
  })
  .superRefine((input, ctx) => {
    // A record lives for years and is exported to people who may not see credentials: no token in any text, and no
    // digits at all in a session record's text, where a run of them is a one-time code.
    const texts: [string, string][] = [
      ['rationale', input.rationale ?? ''],
      ...Object.entries(input.refs ?? {}).map(([k, v]): [string, string] => [`refs.${k}`, v]),
    ];
    for (const [path, text] of texts) {
      if (CREDENTIAL.test(text))
        ctx.addIssue({ code: 'custom', path: path.split('.'), message: 'must not carry a credential' });
      else if (input.action.startsWith('session.') && ONE_TIME_CODE.test(text))
        ctx.addIssue({
          code: 'custom',
          path: path.split('.'),
          message: 'a session record must not carry a code',
        });
    }
  });

/** Ref names that say they hold a secret. */
const SECRET_NAME = /pass(word|code|phrase)|secret|token|otp|mfa_?code|cookie|csrf|credential|private_?key/i;
/** A bearer token, or a JWT (three base64url parts, the first a JSON header). */
const CREDENTIAL = /\bbearer\s+\S{16,}|\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/i;
/** What an MFA or SMS code looks like: four to eight digits on their own. */
const ONE_TIME_CODE = /(?<!\d)\d{4,8}(?!\d)/;

export type AuditActor = z.output<typeof actorSchema>;
export type AuditTarget = z.output<typeof targetSchema>;
/** What a caller passes to `append` (target.ids may be omitted). */
export type AuditAppendInput = z.input<typeof appendInputSchema>;
type AuditFields = z.output<typeof appendInputSchema>;

export interface AuditRecord extends AuditFields {
  id: string;
  /** Position in the tenant's chain, from 1. */
  seq: number;
  /** ISO-8601 UTC with milliseconds, assigned when the record is appended. */
  time: string;
  prevHash: string;
  hash: string;
}

/**
 * A stored record as `GET /v1/audit` and the exports give it (the OpenAPI document's `AuditRecord`): what was
 * appended, with its place in the tenant's hash chain.
 */
export const auditRecordSchema = z
  .object({
    id: z.string(),
    seq: z.number().int().positive().meta({ description: "Position in the tenant's chain, from 1" }),
    time: z.string().meta({ description: 'When it was appended (ISO-8601 UTC, milliseconds)' }),
    tenant: z.string(),
    actor: z
      .object({
        type: z.enum(['user', 'api_key', 'system']),
        id: z.string().meta({
          description:
            'The person an API key acts for (type user, lower-cased), the key (type api_key), an operator (`account@host`) or a service part (type system)',
        }),
        role: z.string().optional(),
        apiKeyId: z.string().optional().meta({ description: 'The key the person used' }),
      })
      .meta({ id: 'AuditActor' }),
    action: z
      .string()
      .meta({ description: '`noun.verb_past`: `time_entry.created`, `webhook.deleted`, ...' }),
    target: z.object({
      kind: z.string(),
      ids: z.record(z.string(), z.union([z.string(), z.number()])),
      matterNumber: z.string().optional(),
    }),
    workflowId: z
      .string()
      .meta({ description: 'The workflow that acted, or `api:<area>`, `operator:<command>`' }),
    runId: z.string(),
    idempotencyKey: z.string(),
    outcome: z.string().meta({ description: '`succeeded`, `recovered`, `failed`, `rejected`, ...' }),
    rationale: z.string().optional(),
    dataHash: z.string().optional().meta({ description: 'sha256 hex of the business data, never the data' }),
    refs: z.record(z.string(), z.string()).optional(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .strict()
  .meta({ id: 'AuditRecord' });

/** prevHash of a tenant's first record. */
export const GENESIS_HASH = '0'.repeat(64);
