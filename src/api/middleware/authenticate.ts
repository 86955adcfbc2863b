import { type IncomingMessage } from 'node:http';
import { type RequestHandler } from 'express';
import { type ApiKeyResolver, type Principal } from '../auth/principal';
import { clientAddress, type RefusalGuard, refusalGuard, type RefusalGuardOptions } from '../auth/refusals';
import { AppError } from '../errors';
import { singleHeader } from '../single-header';

/**
 * The key of `Authorization: Bearer <key>` (the scheme in any case, any spaces around the key), undefined without
 * one; throws a 400 when the header is sent more than once (singleHeader).
 */
export function presentedApiKey(req: Pick<IncomingMessage, 'headers' | 'rawHeaders'>): string | undefined {
  const header = singleHeader(req, 'authorization');
  return header === undefined ? undefined : /^Bearer\s+(\S+)$/i.exec(header)?.[1];
}

export { AUTH_FAILURES_PER_MINUTE } from '../auth/refusals';
export type AuthenticateOptions = RefusalGuardOptions & {
  /** The guard to count refusals in (the server shares one with the payload codec); default a new one. */
  guard?: RefusalGuard;
};

/**
 * `Authorization: Bearer <api key>` → the calling principal, or 401.
 *
 * The per-key rate limit comes after this and counts only requests that authenticated, so what holds back a
 * flood of keys that are not valid is here: each such key costs a store lookup (misses are never cached, or
 * guessing would fill the cache). A client address (an IPv6 /56 counts as one) gets `AUTH_FAILURES_PER_MINUTE`
 * refusals a minute; after that, until its minute is over, its requests are answered 429 with Retry-After and
 * their keys are not looked up, but for keys that authenticated in the last day (remembered by hash, and
 * forgotten at their first refusal, so a revoked one loses the pass). Behind a proxy that is not on loopback, or
 * Docker's published port, every client has the proxy's address: a flood then holds back new keys for everyone,
 * while the keys in use keep working.
 */
export function authenticate(resolve: ApiKeyResolver, opts: AuthenticateOptions = {}): RequestHandler {
  const guard = opts.guard ?? refusalGuard(opts);

  return (req, _res, next) => {
    const address = clientAddress(req);
    let key: string | undefined;
    let malformed: unknown;
    try {
      key = presentedApiKey(req);
    } catch (err) {
      malformed = err;
    }
    const held = guard.heldBack(address, key);
    if (held) {
      next(held);
      return;
    }
    const refuse = (err: unknown) => {
      guard.refused(address, key);
      next(err);
    };
    if (malformed !== undefined) {
      refuse(malformed);
      return;
    }
    if (!key) {
      refuse(
        new AppError(401, 'unauthenticated', 'Send an API key as Authorization: Bearer <key>', undefined, {
          'www-authenticate': 'Bearer',
        }),
      );
      return;
    }
    const presented = key;
    const admit = (principal: Principal | undefined) => {
      if (!principal) {
        refuse(
          new AppError(401, 'unauthenticated', 'The API key is not valid', undefined, {
            'www-authenticate': 'Bearer',
          }),
        );
        return;
      }
      guard.admitted(presented);
      req.principal = principal;
      next();
    };
    let resolved: ReturnType<ApiKeyResolver>;
    try {
      resolved = resolve(presented);
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
