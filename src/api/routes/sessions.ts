import { type Request, Router } from 'express';
import { type AuditAppendInput, type AuditStore } from '../../audit';
import { apiActRecord } from '../api-acts';
import { type Principal, requesterOf } from '../auth/principal';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { type SessionLink } from '../../sessions/session-link';
import { retrySession, sessionReading } from '../../sessions/session-reading';
import { type SessionStore } from '../../sessions/session-store';
import { clioSessionWorkflowId, mfaCodeSignal } from '../../../workflows/shared/session-messages';
import { AppError, notFound } from '../errors';
import { principalOf } from '../middleware/authenticate';
import { requirePermission } from '../middleware/authorize';
import { type TemporalTimeout } from '../temporal-timeout';
import { parseOrThrow } from '../validation';

export const MfaCodeRequestSchema = z
  .object({ code: z.string().regex(/^\d{6}$/, 'must be exactly six digits') })
  .strict();

/** A retry carries nothing: the session signs in again with the credentials it has. */
export const SessionRetryRequestSchema = z.object({}).strict();

export const SessionViewSchema = z.object({
  tenant: z.string(),
  state: z.enum([
    'not_started',
    'signing_in',
    'awaiting_mfa',
    'verifying_mfa',
    'active',
    'reauthenticating',
    'failed',
  ]),
  since: z.string().optional(),
  generation: z.number().int().optional(),
  attempts: z.number().int().optional(),
  prompts: z.number().int().optional(),
  reason: z.string().optional(),
});

/**
 * A person letting the service into the firm's Clio web app (an MFA code handed in) or asking it to sign in again
 * is an act of theirs, recorded before it is passed on: what the trail shows happened, was asked for. The code is
 * never in the record (the audit store refuses digit runs in session records).
 */
function sessionRecord(
  principal: Principal,
  action: 'session.mfa_supplied' | 'session.retry_requested',
): AuditAppendInput {
  return apiActRecord({
    tenant: principal.tenant,
    by: requesterOf(principal),
    action,
    target: { kind: 'clio_session', ids: { tenant: principal.tenant } },
    // The API's act, addressed to the session workflow (clioSession-<tenant>) but not one of its steps.
    workflowId: 'api:sessions',
  });
}

/** The tenant's Clio portal session: its state, and the door through which a person hands in an MFA code. */
export function sessionsRouter(deps: {
  temporal: Client;
  audit: AuditStore;
  within: TemporalTimeout;
  sessionStore: SessionStore;
  sessionLink: SessionLink;
}): Router {
  const router = Router();

  /**
   * The session as every caller reads it: one whose workflow ended stays failed after Temporal forgot the run.
   * Temporal calls are bounded by the request's timeout.
   */
  const read = (tenant: string) =>
    sessionReading(
      { link: deps.sessionLink, store: deps.sessionStore, within: (call) => deps.within(call) },
      tenant,
    );

  /** Another tenant's session does not exist for this caller (404, not 403), as for workflows. */
  function ownTenant(req: Request): string {
    const tenant = req.params.tenant as string;
    if (tenant !== principalOf(req).tenant) throw notFound('Tenant');
    return tenant;
  }

  router.get('/v1/tenants/:tenant/session', requirePermission('session.read'), async (req, res) => {
    const tenant = ownTenant(req);
    res.json((await read(tenant)) ?? { tenant, state: 'not_started' });
  });

  router.post('/v1/tenants/:tenant/session/mfa', requirePermission('session.mfa'), async (req, res) => {
    const tenant = ownTenant(req);
    const { code } = parseOrThrow(MfaCodeRequestSchema, req.body);
    const current = await read(tenant);
    if (current?.state !== 'awaiting_mfa') throw notAwaitingMfa(current?.state);
    await deps.audit.append(sessionRecord(principalOf(req), 'session.mfa_supplied'));
    // The code goes into the store sealed; the signal (and so Temporal's history) carries only its reference.
    const ref = await deps.sessionStore.putMfaCode(tenant, code);
    try {
      await deps.within(
        deps.temporal.workflow.getHandle(clioSessionWorkflowId(tenant)).signal(mfaCodeSignal, { ref }),
      );
    } catch (err) {
      // Not delivered: the code must not wait in the store for a workflow that will never read it.
      await deps.sessionStore.dropMfaCode(tenant, ref);
      // The workflow ended between the look and the signal.
      if (err instanceof WorkflowNotFoundError) throw notAwaitingMfa('failed');
      throw err;
    }
    res.status(202).json({ tenant, state: current.state, accepted: true });
  });

  // After the cause of a failure is fixed (credentials, a portal change), a person asks for a new sign-in. A session
  // whose workflow ended is started anew, however long ago it ended, and what recorded its end no longer stands.
  router.post('/v1/tenants/:tenant/session/retry', requirePermission('session.retry'), async (req, res) => {
    const tenant = ownTenant(req);
    parseOrThrow(SessionRetryRequestSchema, req.body ?? {});
    const current = await read(tenant);
    if (current?.state !== 'failed') {
      throw new AppError(
        409,
        'session_not_failed',
        `The Clio session is ${current?.state ?? 'not started'}; only a failed session is retried`,
      );
    }
    await deps.audit.append(sessionRecord(principalOf(req), 'session.retry_requested'));
    await retrySession(
      { link: deps.sessionLink, store: deps.sessionStore, within: (call) => deps.within(call) },
      tenant,
    );
    res.status(202).json({ tenant, state: current.state, accepted: true });
  });

  return router;
}

function notAwaitingMfa(state: string | undefined): AppError {
  return new AppError(
    409,
    'session_not_awaiting_mfa',
    `The Clio session is ${state ?? 'not started'}, not waiting for an MFA code`,
  );
}
