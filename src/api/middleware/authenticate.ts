import { type IncomingMessage } from 'node:http';
import { type RequestHandler } from 'express';
import { type ApiKeyResolver, type Principal } from '../auth/principal';
import { AppError } from '../errors';

/**
 * The key of `Authorization: Bearer <key>` (the scheme in any case, any spaces around the key), undefined without
 * one; throws a 400 when the header is sent more than once. Node keeps the first of several Authorization headers and
 * drops the others unseen; a proxy in front may read another one, so which of them is "the" key is not guessed.
 */
export function presentedApiKey(req: Pick<IncomingMessage, 'headers' | 'rawHeaders'>): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  let seen = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]!.length === 13 && req.rawHeaders[i]!.toLowerCase() === 'authorization') seen++;
  }
  if (seen > 1) {
    throw new AppError(
      400,
      'invalid_request',
      'Invalid request: header.authorization is sent more than once',
      {
        fields: [{ field: 'header.authorization', reason: 'is sent more than once' }],
      },
    );
  }
  return /^Bearer\s+(\S+)$/i.exec(header)?.[1];
}

/** `Authorization: Bearer <api key>` → the calling principal, or 401. */
export function authenticate(resolve: ApiKeyResolver): RequestHandler {
  return (req, _res, next) => {
    let key: string | undefined;
    try {
      key = presentedApiKey(req);
    } catch (err) {
      next(err);
      return;
    }
    if (!key) {
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
      resolved = resolve(key);
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
