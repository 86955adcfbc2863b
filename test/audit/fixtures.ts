import { type Knex } from 'knex';
import { type AuditAppendInput } from '../../src/audit';

/** A valid append input; override what a test cares about. */
export function entry(
  tenant: string,
  key: string,
  overrides: Partial<AuditAppendInput> = {},
): AuditAppendInput {
  return {
    tenant,
    actor: { type: 'user', id: 'u-1', role: 'attorney', apiKeyId: 'key-1' },
    action: 'time_entry.created',
    target: { kind: 'activity', ids: { clioActivityId: 42 }, matterNumber: '00001-Smith' },
    workflowId: `timeCapture-${tenant}-1`,
    runId: 'run-1',
    idempotencyKey: key,
    outcome: 'succeeded',
    ...overrides,
  };
}

/**
 * PostgreSQL stamps each record with its own clock (recorded_at). Records a test appended under a fake clock, "in
 * 2018", are given the time they say, as if written then: the test's superuser sets them with triggers off.
 */
export async function writtenWhenDated(knex: Knex): Promise<void> {
  if ((knex.client as Knex.Client).config.client !== 'pg') return;
  await knex.transaction(async (trx) => {
    await trx.raw('SET LOCAL session_replication_role = replica');
    await trx.raw('UPDATE audit_records SET recorded_at = time::timestamptz');
  });
}
