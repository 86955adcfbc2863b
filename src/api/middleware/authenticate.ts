import { type RequestHandler } from 'express';
import { type ApiKeyResolver, type Principal } from '../auth/principal';
import { AppError } from '../errors';

/** `Authorization: Bearer <api key>` → the calling principal, or 401. */
export function authenticate(resolve: ApiKeyResolver): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) {
      next(
        new AppError(401, 'unauthenticated', 'Send an API key as Authorization: Bearer <key>', undefined, {
          'www-authenticate': 'Bearer',
        }),
      );
      return;
    }
    const admit = (principal: Principal | undefined) => {
      if (!principal) {
        next(
          new AppError(401, 'unauthenticated', 'The API key is not valid', undefined, {
            'www-authenticate': 'Bearer',
          }),
        );
        return;
      }
      req.principal = principal;
      next();
    };
    let resolved: ReturnType<ApiKeyResolver>;
    try {
      resolved = resolve(match[1]);
    } catch (err) {
      next(err);
      return;
    }
    if (isPromiseLike(resolved)) resolved.then(admit, (err: unknown) => next(err));
    else admit(resolved);
  };
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

export function principalOf(req: { principal?: Principal }): Principal {
  if (!req.principal) throw new AppError(401, 'unauthenticated', 'Not authenticated');
  return req.principal;
}
