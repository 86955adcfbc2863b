import type { RequestHandler } from 'express';
import { TokenStore } from '../oauth/token-store';
import type { SandboxState } from '../state/sandbox-state';

/**
 * Grow's reading API takes the same OAuth bearer tokens as the sandbox's Manage API (one sandbox
 * firm, one token store), so the service reads leads with its Clio token, e.g. sandbox-access-token.
 */
export function growBearer(state: SandboxState): RequestHandler {
  const tokens = new TokenStore(state.db);
  return (req, res, next) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.header('authorization') ?? '');
    const result = m ? tokens.check(m[1] as string, state.settings().token_user_id) : undefined;
    if (!result?.ok) {
      res
        .status(401)
        .set('WWW-Authenticate', 'Bearer error="invalid_token"')
        .json({
          error: 'invalid_token',
          error_description: result ? result.reason : 'The access token is missing',
        });
      return;
    }
    next();
  };
}
