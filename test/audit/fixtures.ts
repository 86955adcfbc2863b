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
