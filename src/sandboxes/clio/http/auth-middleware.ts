import type { RequestHandler } from 'express';
import type { TokenStore } from '../oauth/token-store';
import type { SandboxState } from '../state/sandbox-state';
import { OAuthError } from './errors';

/** Bearer check for API v4; failures answer OAuth-style, as Clio does for bad tokens. */
export function authMiddleware(state: SandboxState, tokens: TokenStore): RequestHandler {
  return (req, res, next) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.header('authorization') ?? '');
    if (!m) {
      next(new OAuthError(401, 'invalid_token', 'The access token is missing'));
      return;
    }
    const result = tokens.check(m[1] as string, state.settings().token_user_id);
    if (!result.ok) {
      next(new OAuthError(401, 'invalid_token', result.reason));
      return;
    }
    res.locals.userId = result.userId;
    next();
  };
}
