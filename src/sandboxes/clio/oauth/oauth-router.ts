import express, { Router, type Request } from 'express';
import { OAuthError } from '../http/errors';
import type { SandboxState } from '../state/sandbox-state';
import { consentPage } from './consent-page';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, type TokenStore } from './token-store';

/** Client credentials from the form body or HTTP Basic, as OAuth 2.0 allows both. */
function clientCredentials(req: Request): { id?: string; secret?: string } {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const basic = /^Basic\s+(\S+)$/i.exec(req.header('authorization') ?? '');
  if (basic) {
    const [id, secret] = Buffer.from(basic[1] as string, 'base64')
      .toString('utf8')
      .split(':');
    return { id, secret };
  }
  return { id: body.client_id as string | undefined, secret: body.client_secret as string | undefined };
}

export function oauthRouter(state: SandboxState, tokens: TokenStore): Router {
  const router = Router();
  // Scoped to /oauth: API v4 parses its own bodies (form bodies there use nested data[...] keys).
  router.use('/oauth', express.urlencoded({ extended: false }), express.json());

  router.post('/oauth/token', (req, res) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const client = clientCredentials(req);
    if (client.id !== SANDBOX_CLIENT_ID || client.secret !== SANDBOX_CLIENT_SECRET)
      throw new OAuthError(
        401,
        'invalid_client',
        'Client authentication failed (unknown client or wrong secret)',
      );
    const ttl = state.getFaults().accessTokenTtlSeconds;
    const defaultUser = state.settings().token_user_id;
    res.setHeader('Cache-Control', 'no-store');
    switch (body.grant_type) {
      case 'refresh_token': {
        if (!body.refresh_token) throw new OAuthError(400, 'invalid_request', 'refresh_token is required');
        const userId = tokens.refreshOwner(body.refresh_token, defaultUser);
        if (userId === undefined)
          throw new OAuthError(400, 'invalid_grant', 'The refresh token is invalid or was revoked');
        res.json(tokens.issue(userId, ttl, body.refresh_token));
        return;
      }
      case 'authorization_code': {
        if (!body.code) throw new OAuthError(400, 'invalid_request', 'code is required');
        const userId = tokens.redeemCode(body.code, client.id, body.redirect_uri);
        if (userId === undefined)
          throw new OAuthError(
            400,
            'invalid_grant',
            'The authorization code is invalid, expired, already used, or the redirect_uri does not match',
          );
        res.json(tokens.issue(userId, ttl));
        return;
      }
      case undefined:
        throw new OAuthError(400, 'invalid_request', 'grant_type is required');
      default:
        throw new OAuthError(
          400,
          'unsupported_grant_type',
          `grant_type "${body.grant_type}" is not supported`,
        );
    }
  });

  router.get('/oauth/authorize', (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    if (q.response_type !== 'code' || q.client_id !== SANDBOX_CLIENT_ID || !q.redirect_uri) {
      res
        .status(400)
        .type('html')
        .send(
          consentPage.error(
            'The application is not authorised to connect: check response_type, client_id and redirect_uri.',
          ),
        );
      return;
    }
    // The sandbox has no browser sign-in here: the page lets the tester choose whom the grant acts for.
    const users = state.store
      .list('users', { where: [{ path: '$.enabled', op: '=', value: 1 }] })
      .map((u) => ({ email: String(u.email), name: String(u.name) }));
    res
      .type('html')
      .send(
        consentPage.form({ clientId: q.client_id, redirectUri: q.redirect_uri, state: q.state ?? '', users }),
      );
  });

  router.post('/oauth/authorize', (req, res) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    if (body.client_id !== SANDBOX_CLIENT_ID || !body.redirect_uri) {
      res.status(400).type('html').send(consentPage.error('Unknown application.'));
      return;
    }
    const target = new URL(body.redirect_uri);
    if (body.state) target.searchParams.set('state', body.state);
    const chosen = body.user_email
      ? state.store.list('users', {
          where: [{ path: '$.email', op: '=', value: body.user_email }],
          limit: 1,
        })[0]
      : undefined;
    if (body.user_email && !chosen) {
      res.status(400).type('html').send(consentPage.error('Unknown user.'));
      return;
    }
    const userId = chosen?.id ?? state.settings().token_user_id;
    if (body.decision === 'allow')
      target.searchParams.set('code', tokens.createCode(body.client_id, body.redirect_uri, userId));
    else target.searchParams.set('error', 'access_denied');
    res.redirect(302, target.toString());
  });

  /** Revokes the grant behind the bearer token (or the token in the form body). */
  router.post('/oauth/deauthorize', (req, res) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1];
    const token = ((req.body ?? {}) as Record<string, string | undefined>).token ?? bearer;
    if (!token || !bearer) throw new OAuthError(401, 'invalid_token', 'The access token is missing');
    if (!tokens.check(bearer, state.settings().token_user_id).ok)
      throw new OAuthError(401, 'invalid_token', 'The access token is invalid');
    tokens.revoke(token);
    res.status(200).json({});
  });
  return router;
}
