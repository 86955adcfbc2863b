import { randomUUID } from 'node:crypto';
import { type AuditAppendInput } from '../audit';
import { type Requester, requesterActor } from '../domain/requester';

/**
 * An act a caller did through the API (not through a workflow) as an audit record: the person or key, what, to
 * which target. `act` names the act: a request that may be sent again names what it acts on (one record however
 * often it is sent), one that is a new act each time leaves it to a fresh id.
 */
export function apiActRecord(opts: {
  tenant: string;
  /** Undefined when nobody can be named (a consent started before keys were recorded in its state). */
  by: Requester | undefined;
  action: string;
  target: AuditAppendInput['target'];
  /** `api:<area>`: the record's run id then names the act, not a Temporal run. */
  workflowId: `api:${string}`;
  act?: string;
  refs?: Record<string, string>;
}): AuditAppendInput {
  const act = opts.act ?? randomUUID();
  return {
    tenant: opts.tenant,
    actor: opts.by ? requesterActor(opts.by) : { type: 'system', id: 'unknown' },
    action: opts.action,
    target: opts.target,
    workflowId: opts.workflowId,
    runId: act,
    idempotencyKey: `${opts.action}:${act}`,
    outcome: 'succeeded',
    ...(opts.refs ? { refs: opts.refs } : {}),
  };
}
