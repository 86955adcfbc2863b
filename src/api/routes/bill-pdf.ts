import { Router } from 'express';
import { type ClioClient } from '../../integrations/clio/clio-client';
// The modules themselves, not the package's index: the index brings Playwright, which the API never drives.
import { PORTAL_ENDPOINTS } from '../../integrations/clio-portal/endpoints';
import { PortalRequestError, PortalSessionExpiredError } from '../../integrations/clio-portal/errors';
import { PortalClient } from '../../integrations/clio-portal/portal-client';
import { type PortalPaths } from '../../integrations/clio-portal/types';
import { sessionAccess, type SessionAccess, type SessionPendingState } from '../../sessions/session-access';
import { type SessionLink } from '../../sessions/session-link';
import { type SessionStore } from '../../sessions/session-store';
import { fromClioError } from '../clio-errors';
import { AppError, notFound } from '../errors';
import { principalOf } from '../middleware/authenticate';
import { requirePermission } from '../middleware/authorize';
import { type TemporalTimeout } from '../temporal-timeout';
import { parseOrThrow } from '../validation';
import { IdParam } from '../views/schemas';

export interface BillPdfDeps {
  clio: (tenant: string) => ClioClient;
  sessionStore: SessionStore;
  sessionLink: SessionLink;
  within: TemporalTimeout;
  portal: { baseUrl: string; paths: PortalPaths };
}

/** Seconds to wait before asking again while the tenant's web session signs in. */
const SIGN_IN_RETRY_SECONDS = '10';

/**
 * How a session on its way to `active` reads in a 503. `reauthenticating` serves nothing either: the session
 * enters it when its cookies stopped working (an expiry report, a failed health check) or belong to another
 * web-app user than the configured one, so there is no refresh during which the old cookies are still current.
 */
function notReadyBecause(state: SessionPendingState, tenant: string): string {
  switch (state) {
    case 'signing_in':
      return 'signing in';
    case 'reauthenticating':
      return 'signing in again';
    case 'awaiting_mfa':
      return `waiting for an MFA code (a person hands it in: POST /v1/tenants/${tenant}/session/mfa)`;
    case 'verifying_mfa':
      return 'checking an MFA code';
  }
}

function sessionNotReady(state: string): AppError {
  return new AppError(
    503,
    'clio_session_not_ready',
    `Bill PDFs come from Clio's web app and the tenant's session is ${state}; retry after the Retry-After seconds`,
    undefined,
    { 'retry-after': SIGN_IN_RETRY_SECONDS },
  );
}

/** The 503 for a session whose cookies may not be used now (see sessionAccess). */
function refused(access: Exclude<SessionAccess, { kind: 'usable' }>, tenant: string): AppError {
  switch (access.kind) {
    case 'not_started':
      return sessionNotReady('not started (this request started its sign-in)');
    case 'failed':
      return sessionFailed(access.reason);
    case 'pending':
      return sessionNotReady(notReadyBecause(access.state, tenant));
    case 'missing':
      // Active, but its cookies are not in the store (a restored database): reported expired, it signs in again.
      return sessionNotReady('signing in again');
  }
}

/**
 * `GET /v1/bills/:id/pdf`: the bill as Clio renders it. Clio's API has no PDF, so the file comes from the web app
 * through the tenant's browser session (cookies from the session store, no browser per request), used only while
 * the tenant's clioSession workflow says the session is `active`. A session that is signing in (or waiting for an
 * MFA code), or has just expired, gives 503 with Retry-After (an expiry is reported once, so the session workflow
 * signs in again); a failed or ended session needs a person (POST …/session/retry) and its cookies are not used.
 */
export function billPdfRouter(deps: BillPdfDeps): Router {
  const router = Router();
  router.get('/v1/bills/:id/pdf', requirePermission('bills.pdf'), async (req, res) => {
    const { tenant } = principalOf(req);
    const { id } = parseOrThrow(IdParam, req.params, 'path');
    let bill;
    try {
      // Through the API first: the bill must exist for this tenant before the web app is asked.
      bill = await deps.clio(tenant).bills.get(id);
    } catch (err) {
      throw fromClioError(err, 'Bill');
    }
    // Only while the session workflow says the session is active, and only the generation it names.
    const access = await sessionAccess(
      { link: deps.sessionLink, store: deps.sessionStore, within: (call) => deps.within(call) },
      tenant,
    );
    if (access.kind !== 'usable') throw refused(access, tenant);
    let file;
    try {
      file = await new PortalClient({ ...deps.portal, material: access.material }).download(
        PORTAL_ENDPOINTS.billPdf(id),
      );
    } catch (err) {
      if (err instanceof PortalSessionExpiredError) {
        // One report per generation counts in the workflow, however many requests notice; an ended one ignores it.
        await deps.within(deps.sessionLink.reportExpired(tenant, access.generation));
        throw sessionNotReady('signing in again');
      }
      if (err instanceof PortalRequestError && err.status === 404) throw notFound('Bill');
      throw new AppError(
        502,
        'clio_portal_unavailable',
        'Clio’s web app did not give the bill’s PDF; try again later',
      );
    }
    if (
      !file.contentType.startsWith('application/pdf') ||
      file.bytes.subarray(0, 5).toString('latin1') !== '%PDF-'
    )
      throw new AppError(
        502,
        'clio_portal_changed',
        'Clio’s web app answered with something that is not a PDF',
      );
    const name = (file.filename ?? `bill-${bill.number ?? id}.pdf`).replace(/[^\w.-]/g, '_');
    res
      .status(200)
      .type('application/pdf')
      .set('content-disposition', `attachment; filename="${name}"`)
      .set('cache-control', 'private, no-store')
      .send(file.bytes);
  });
  return router;
}

function sessionFailed(reason: string | undefined): AppError {
  return new AppError(
    503,
    'clio_session_failed',
    `The tenant's Clio web session failed (${reason ?? 'unknown reason'}); fix the cause, then POST /v1/tenants/<tenant>/session/retry`,
  );
}
