import { type Request } from 'express';
import { z } from 'zod';
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, USERS } from '../config';
import { ImanageError, badRequest, unauthorized } from '../errors';
import { type FaultState } from '../http/faults';
import { type RouteKit } from '../http/route-kit';
import { parse } from '../http/validate';
import { type Db } from '../state/db';
import { issueTokens, lookupToken } from '../state/tokens-repo';

const ClientSchema = {
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  scope: z.string().optional(),
};
const TokenRequestSchema = z.discriminatedUnion('grant_type', [
  z.object({
    grant_type: z.literal('password'),
    username: z.string(),
    password: z.string(),
    ...ClientSchema,
  }),
  z.object({ grant_type: z.literal('refresh_token'), refresh_token: z.string(), ...ClientSchema }),
]);

const KNOWN_GRANTS = ['password', 'refresh_token'];

/** The client is optional on refresh (iManage clients send only the refresh token); a wrong one is refused. */
function checkClient(body: { client_id?: string; client_secret?: string }, required: boolean): void {
  if (body.client_id === undefined && !required) return;
  if (body.client_id !== OAUTH_CLIENT_ID) throw unauthorized('INVALID_CLIENT', 'Unknown OAuth client.');
  if (body.client_secret !== undefined && body.client_secret !== OAUTH_CLIENT_SECRET) {
    throw unauthorized('INVALID_CLIENT', 'The client secret is not valid.');
  }
}

function grantTypeOf(req: Request): string {
  return typeof (req.body as { grant_type?: unknown } | undefined)?.grant_type === 'string'
    ? (req.body as { grant_type: string }).grant_type
    : '';
}

/** iManage's OAuth endpoints take form fields, as OAuth 2.0 prescribes (RFC 6749 §4.3.2): a JSON body is refused. */
function requireForm(req: Request): void {
  if (!req.is('application/x-www-form-urlencoded'))
    throw new ImanageError(
      400,
      'INVALID_REQUEST',
      'The request body must be application/x-www-form-urlencoded.',
    );
}

export function registerOAuthRoutes(kit: RouteKit, db: Db, faults: FaultState): void {
  kit.open('post', '/auth/oauth2/token', (req, res) => {
    requireForm(req);
    const grant = grantTypeOf(req);
    if (!KNOWN_GRANTS.includes(grant)) {
      throw new ImanageError(400, 'UNSUPPORTED_GRANT_TYPE', `Grant type '${grant}' is not supported here.`);
    }
    const body = parse(TokenRequestSchema, req.body, 'token request');
    const ttl = faults.current.sessionTtlSeconds;
    let tokens;
    if (body.grant_type === 'password') {
      checkClient(body, true);
      const user = USERS.find((u) => u.username === body.username && u.password === body.password);
      if (!user) throw unauthorized('INVALID_GRANT', 'The user name or password is not valid.');
      tokens = db.transaction(() => issueTokens(db, user.id, ttl))();
    } else {
      checkClient(body, false);
      const found = lookupToken(db, body.refresh_token, 'refresh');
      if (found.status !== 'valid')
        throw unauthorized('INVALID_GRANT', 'The refresh token is not valid or has expired.');
      // The refresh token is not rotated, so concurrent workers that share it cannot lock each other out.
      tokens = db.transaction(() => issueTokens(db, found.userId, ttl, body.refresh_token))();
    }
    res.set('Cache-Control', 'no-store').json(tokens);
  });

  kit.open('post', '/auth/oauth2/revoke-token', (req, res) => {
    requireForm(req);
    const token = (req.body as { access_token?: unknown; token?: unknown } | undefined) ?? {};
    const value = typeof token.access_token === 'string' ? token.access_token : token.token;
    if (typeof value !== 'string') throw badRequest('access_token is required.');
    db.prepare('DELETE FROM tokens WHERE token = ?').run(value);
    res.status(200).json({});
  });
}
