import { Router } from 'express';
import { z } from 'zod';
import { type ClioOAuthClient } from '../../integrations/clio/oauth/oauth-client';
import {
  createOAuthState,
  InvalidOAuthStateError,
  verifyOAuthState,
} from '../../integrations/clio/oauth/oauth-state';
import { completeAuthorization } from '../../integrations/clio/oauth/stored-token-provider';
import { type OAuthStateLedger } from '../../integrations/clio/oauth/state-ledger';
import { type AuditAppendInput, type AuditStore } from '../../audit';
import { type ClioTokenStore } from '../../integrations/clio/oauth/token-store';
import { ClioApiError } from '../../integrations/clio/errors';
import { fromClioError } from '../clio-errors';
import { AppError, notFound } from '../errors';
import { type Requester } from '../../domain/requester';
import { type Config } from '../../config';
import { apiActRecord } from '../api-acts';
import { requesterOf } from '../auth/principal';
import { principalOf } from '../middleware/authenticate';
import { requirePermission } from '../middleware/authorize';
import { parseOrThrow } from '../validation';

export interface ClioOAuthDeps {
  /**
   * CLIO_AUTH_MODE. With `refresh_token` the Clio clients use CLIO_REFRESH_TOKEN (DEFAULT_TENANT's only) and never
   * read the token store: tokens a consent stored there would never be used, so connecting is refused.
   */
  authMode: Config['CLIO_AUTH_MODE'];
  oauth: ClioOAuthClient;
  store: ClioTokenStore;
  stateKey: Buffer;
  /** The states already brought back: each is good for one callback. */
  states: OAuthStateLedger;
  /** Connecting and disconnecting a tenant's Clio are recorded: who, when, for which tenant. */
  audit: AuditStore;
  /** `<PUBLIC_URL>/oauth/clio/callback`: the same string in the authorize URL and in the code exchange. */
  redirectUri: string;
  /**
   * The key that started a consent: it must still be valid when Clio sends the admin back, and the person it acts
   * for is named in the record (the state, which passes through the browser and Clio, names only the key).
   */
  apiKeys: { get(id: string): Promise<{ revokedAt: string | null; user: string | null } | undefined> };
}

/**
 * What Clio's redirect carries: `code` and `state` on consent; `error` with `state` on refusal, and maybe the
 * `error_description` and `error_uri` RFC 6749 §4.1.2.1 allows beside it (a refusal must read as one, not as an
 * unknown field). Anything else did not come from Clio: a 400 naming it, as on every other route.
 */
/** The callback's query: what Clio's redirect carries after consent or refusal (RFC 6749 §4.1.2). */
export const CallbackQuery = z
  .object({
    state: z
      .string()
      .min(1)
      .max(2000)
      .meta({ description: 'The signed state this service gave Clio at the start' }),
    code: z
      .string()
      .min(1)
      .max(2000)
      .optional()
      .meta({ description: 'The authorization code, exchanged once for tokens' }),
    error: z.string().max(200).optional().meta({ description: 'Clio’s reason when consent was not given' }),
    error_description: z
      .string()
      .max(2000)
      .optional()
      .meta({ description: 'Clio’s explanation of the error' }),
    error_uri: z.string().max(2000).optional().meta({ description: 'A page about the error' }),
  })
  .strip(); // RFC 6749 §4.1.2: the client MUST ignore unrecognized response parameters (e.g. RFC 9207's `iss`)

/**
 * Refused in refresh_token mode rather than answered "connected": a tenant's reads would still be "not connected",
 * and the audit trail would record a connection that serves nothing.
 */
function requireOAuthMode(deps: ClioOAuthDeps): void {
  if (deps.authMode !== 'oauth')
    throw new AppError(
      409,
      'oauth_not_enabled',
      'Clio is connected through CLIO_REFRESH_TOKEN in this configuration; set CLIO_AUTH_MODE=oauth to connect tenants through Clio’s consent page',
    );
}

/** An admin starts Clio's consent flow; the API key authenticates the start, the signed state the callback. */
export function clioOAuthStartRouter(deps: ClioOAuthDeps): Router {
  const router = Router();
  router.get('/v1/tenants/:tenant/oauth/start', requirePermission('clio.connect'), (req, res) => {
    const tenant = req.params.tenant as string;
    const principal = principalOf(req);
    if (tenant !== principal.tenant) throw notFound('Tenant');
    requireOAuthMode(deps);
    // The state carries which key asked, signed: the callback arrives without an API key and records who holds it.
    // Not the person: the state passes through the browser's history and Clio.
    const { apiKeyId, role } = principal;
    const state = createOAuthState(tenant, { key: deps.stateKey, requestedBy: { apiKeyId, role } });
    res.redirect(302, deps.oauth.authorizeUrl(deps.redirectUri, state));
  });

  /**
   * Revokes the tenant's grant at Clio, then forgets its tokens (running processes notice within a minute). The
   * tokens stay while Clio cannot be reached: forgotten here, a grant still live at Clio could not be revoked.
   * In refresh_token mode too, for a grant kept from when the service ran in oauth mode: it is still live at Clio.
   */
  router.delete('/v1/tenants/:tenant/oauth', requirePermission('clio.disconnect'), async (req, res) => {
    const tenant = req.params.tenant as string;
    const requester = requesterOf(principalOf(req));
    if (tenant !== principalOf(req).tenant) throw notFound('Tenant');
    const tokens = await deps.store.load(tenant);
    if (!tokens) {
      requireOAuthMode(deps);
      throw new AppError(409, 'clio_not_connected', 'This tenant has no Clio connection to remove');
    }
    try {
      // Clio takes the grant's access token to revoke it; an expired one would be refused (401, read as "already
      // revoked") while the refresh token still worked, so an expired token is refreshed first.
      const { accessToken } =
        tokens.expiresAt > Date.now() + 60_000 ? tokens : await deps.oauth.refresh(tokens.refreshToken);
      await deps.oauth.deauthorize(accessToken);
    } catch (err) {
      // Refused for good (the grant was revoked in Clio already, say from its settings): nothing left to revoke.
      const gone =
        err instanceof ClioApiError && !err.retryable && (err.status === 400 || err.status === 401);
      if (!gone) throw fromClioError(err, 'Clio deauthorization');
    }
    await deps.store.delete(tenant);
    await deps.audit.append(connectionRecord(tenant, 'clio.disconnected', requester));
    res.status(204).end();
  });
  return router;
}

function connectionRecord(
  tenant: string,
  action: 'clio.connected' | 'clio.disconnected',
  by: Requester | undefined,
  act?: string,
): AuditAppendInput {
  const target = { kind: 'clio_connection', ids: { tenant } };
  return apiActRecord({ tenant, by, action, target, workflowId: 'api:clio-oauth', act });
}

const CALLBACK_PATH = '/oauth/clio/callback';

/**
 * Where Clio sends the admin's browser back: the callback under PUBLIC_URL, keeping a path PUBLIC_URL has
 * (`https://firm.example/orchestrator` behind a proxy that strips it), which `new URL('/oauth/…', base)` drops.
 */
export function clioRedirectUri(publicUrl: string): string {
  const base = new URL(publicUrl);
  base.pathname = `${base.pathname.replace(/\/+$/, '')}${CALLBACK_PATH}`;
  base.search = '';
  base.hash = '';
  return base.toString();
}

/** Clio's redirect back, in the admin's browser (no API key there): trusted only through the signed state. */
export function clioOAuthCallbackRouter(deps: ClioOAuthDeps): Router {
  const router = Router();
  router.get(CALLBACK_PATH, async (req, res) => {
    const q = parseOrThrow(CallbackQuery, req.query, 'query');
    const badState = (reason: string) =>
      new AppError(400, 'invalid_request', `Invalid request: query.state ${reason}`, {
        fields: [{ field: 'query.state', reason }],
      });
    let state: ReturnType<typeof verifyOAuthState>;
    try {
      state = verifyOAuthState(q.state, { key: deps.stateKey });
    } catch (err) {
      if (err instanceof InvalidOAuthStateError) throw badState(err.message);
      throw err;
    }
    // After the state is verified, as the start refuses only after the key and tenant are checked: without an API
    // key, a state this service signed is what admits a caller. Before the state is used up: nothing is written.
    requireOAuthMode(deps);
    const { tenant } = state;
    if (q.error || !q.code) {
      const refused = q.error
        ? { field: 'query.error', reason: `says Clio did not grant access (${q.error})` }
        : { field: 'query.code', reason: 'is required when Clio grants access' };
      throw new AppError(
        400,
        'clio_access_denied',
        `Clio access was not granted for tenant ${tenant}${q.error ? ` (${q.error})` : ''}`,
        { fields: [refused] },
      );
    }
    // A consent link outlives nothing it was started with: revoking the key (a departing admin's, a leaked one)
    // ends the links it started too, within their 10 minutes.
    const startedWith = state.requestedBy && (await deps.apiKeys.get(state.requestedBy.apiKeyId));
    if (startedWith?.revokedAt)
      throw badState(
        `was started with an API key revoked since; start again at /v1/tenants/${tenant}/oauth/start`,
      );
    const requester: Requester | undefined = state.requestedBy && {
      apiKeyId: state.requestedBy.apiKeyId,
      role: state.requestedBy.role,
      ...(startedWith?.user ? { userId: startedWith.user } : {}),
    };
    // Used up before Clio is asked for tokens: two callbacks with one state cannot both get to the exchange.
    if (!(await deps.states.consume(state.nonce, state.expiresAt)))
      throw badState(`was used already; start again at /v1/tenants/${tenant}/oauth/start`);
    try {
      await completeAuthorization({
        tenant,
        code: q.code,
        redirectUri: deps.redirectUri,
        oauth: deps.oauth,
        store: deps.store,
      });
      await deps.audit.append(connectionRecord(tenant, 'clio.connected', requester, state.nonce));
    } catch (err) {
      // Not the code but the service's own client credentials (or a wrong region): starting again cannot help.
      if (err instanceof ClioApiError && err.type === 'invalid_client') {
        throw new AppError(
          502,
          'clio_refused_credentials',
          'Clio refused this service’s client credentials; check CLIO_CLIENT_ID, CLIO_CLIENT_SECRET and the region in CLIO_BASE_URL',
        );
      }
      // Clio refuses a code that expired (10 minutes), was used already or was issued for another redirect.
      if (err instanceof ClioApiError && (err.status === 400 || err.status === 401)) {
        throw new AppError(
          400,
          'clio_code_refused',
          `Clio refused the authorization code; start again at /v1/tenants/${tenant}/oauth/start`,
          {
            fields: [
              { field: 'query.code', reason: 'was refused by Clio (expired, used, or for another redirect)' },
            ],
          },
        );
      }
      throw fromClioError(err, 'Clio authorization');
    }
    res
      .type('html')
      .send(
        `<!doctype html><html lang="en"><title>Clio connected</title><h1>Clio is connected for ${escapeHtml(tenant)}</h1><p>You can close this page.</p></html>`,
      );
  });
  return router;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
