import { createHash, createHmac } from 'node:crypto';
import { type IncomingMessage } from 'node:http';
import stableStringify from 'fast-json-stable-stringify';
import { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { AppError } from './errors';
import { singleHeader } from './single-header';
import { errorHandler } from './middleware/error-handler';

import { type IdempotencyRepository } from '../store/idempotency-repository';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** What makes two requests "the same": method, path and the body with its keys in a canonical order. */
export function requestHash(method: string, path: string, body: unknown): string {
  return sha256Hex(stableStringify({ method, path, body: body ?? null }));
}

/**
 * The request hash kept with an Idempotency-Key's answer: keyed (HMAC), because a body can be guessable (an MFA
 * code is one of a million), and a plain hash in the store would give it away to whoever reads the table.
 */
export function storedRequestHash(hashKey: Buffer, method: string, path: string, body: unknown): string {
  return createHmac('sha256', hashKey)
    .update(stableStringify({ method, path, body: body ?? null }))
    .digest('hex');
}

/** A route's path parameter in Express 5 (path-to-regexp 8): `:name`, its name an identifier. */
const ROUTE_PARAM = /:([$_\p{ID_Start}][$\u200c\u200d\p{ID_Continue}]*)/gu;
/** Wildcards, optional groups, quoted names, escapes: route syntax `canonicalPath` does not rebuild. */
const OTHER_ROUTE_SYNTAX = /[*{}"\\]/;

/**
 * The path of the route a request reached, as "the same request" sees it: the route's own spelling of its fixed
 * parts, each parameter replaced by its (decoded) value, percent-encoded one way. Express matches the fixed parts
 * whatever their case and with or without a trailing slash, and decodes the parameters, so `/V1/TIME-ENTRIES/` and
 * `/v1/time-entries` are one route and one request, while a parameter value counts exactly (`/tenants/ABC` and
 * `/tenants/abc` stay two requests). Runs after routing (in `requirePermission`). A route it cannot rebuild (none
 * is, today) keeps the path as the client spelled it: never two requests taken for one, at worst a retry spelled
 * otherwise not recognized.
 */
export function canonicalPath(req: Request): string {
  const spelled = req.originalUrl.split('?')[0] ?? '';
  const template: unknown = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof template !== 'string' || OTHER_ROUTE_SYNTAX.test(template)) return spelled;
  const params = req.params as Record<string, unknown>;
  let complete = true;
  const path = template.replace(ROUTE_PARAM, (_, name: string) => {
    const value = params[name];
    if (typeof value !== 'string') complete = false;
    return encodeURIComponent(String(value));
  });
  // A router mounted under a path: its part as the client spelled it (the mount's own spelling is not on req).
  return complete ? req.baseUrl + path : spelled;
}

export function idempotencyKeyOf(req: Pick<IncomingMessage, 'headers' | 'rawHeaders'>): string | undefined {
  const key = singleHeader(req, 'idempotency-key');
  if (key === undefined) return undefined;
  if (!KEY_PATTERN.test(key)) {
    throw new AppError(400, 'invalid_request', 'Idempotency-Key must be 1 to 255 visible ASCII characters', {
      fields: [{ field: 'header.idempotency-key', reason: 'must be 1 to 255 visible ASCII characters' }],
    });
  }
  return key;
}

/** The step `idempotency` leaves for the route, run by `requirePermission` once the caller is authorized. */
export type IdempotencyStep = (proceed: NextFunction) => void;

/** The 409 for a key sent again with another request, whichever layer (stored answer or workflow) notices. */
export const idempotencyKeyReused = () =>
  new AppError(409, 'idempotency_key_reused', 'This Idempotency-Key was used with a different request', {
    fields: [{ field: 'header.idempotency-key', reason: 'was already used with a different body' }],
  });

/** The 409 for a key whose first request is still being answered: its answer is coming, so ask again soon. */
export const idempotencyKeyInProgress = () =>
  new AppError(
    409,
    'idempotency_key_in_progress',
    'A request with this Idempotency-Key is still being answered; send it again shortly for its answer',
    { fields: [{ field: 'header.idempotency-key', reason: 'is in use by a request not yet answered' }] },
    // Most requests are answered within a second; one whose process died frees the key after the claim's lease.
    { 'retry-after': '1' },
  );

/**
 * `Idempotency-Key` on writes: the same key with the same body (on the same route and path parameters, however
 * the path is spelled: `canonicalPath`) gets the first answer again; with another body, or other parameters, 409.
 * The first request claims the key before the route runs, so a second one sent while it is being answered (a
 * client's retry after a timeout, or two racing copies) gets a 409 `idempotency_key_in_progress` with Retry-After
 * instead of doing the work again: routes whose effect is not a workflow (a webhook subscription, a signal) have
 * nothing else that would tell the two apart. Workflow ids derived from the key remain the safety net for a claim
 * that lapsed.
 *
 * Here the header is checked (a malformed key is a 400 on any route); replaying or remembering waits for the
 * route's authorization (`runIdempotencyStep`): a stored answer goes only to a caller allowed to make the
 * request, never to another role of the tenant that happens to send the same key.
 */
export function idempotency(
  store: IdempotencyRepository,
  ttlMs: number,
  hashKey: Buffer,
  /**
   * How long a request may hold its key before the key counts as free again (IDEMPOTENCY_LEASE_SECONDS): longer
   * than any route takes (each Temporal call is bounded by API_TEMPORAL_TIMEOUT_SECONDS), short enough that a key
   * whose process died is not stuck for long.
   */
  leaseMs: number,
): RequestHandler {
  return (req, res, next) => {
    let key: string | undefined;
    try {
      key = idempotencyKeyOf(req);
    } catch (err) {
      next(err);
      return;
    }
    if (req.method !== 'POST' || key === undefined || !req.principal) return next();
    const tenant = req.principal.tenant;
    const idemKey = key;
    const step: IdempotencyStep = (proceed) => {
      const hash = storedRequestHash(hashKey, req.method, canonicalPath(req), req.body);
      // Answers stored before the path was canonical were hashed with the path as the client spelled it, and
      // before that without a key: the same request spelled the same way still matches while they live (their
      // TTL). A path spelled the same is always the same request, so these matches are never wrong.
      const spelled = req.originalUrl.split('?')[0] ?? '';
      const sameRequest = (stored: string) =>
        stored === hash ||
        stored === storedRequestHash(hashKey, req.method, spelled, req.body) ||
        stored === requestHash(req.method, spelled, req.body);
      store.claim({ tenant, key: idemKey, requestHash: hash, leaseMs }).then(
        (result) => {
          if (!result.claimed) {
            const found = result.record;
            if (!sameRequest(found.requestHash)) return proceed(idempotencyKeyReused());
            if (found.pending) return proceed(idempotencyKeyInProgress());
            res.setHeader('idempotent-replayed', 'true');
            res.status(found.statusCode).json(found.responseBody);
            return;
          }
          const { claim } = result;
          const json = res.json.bind(res);
          let answered = false;
          // An answer sent some other way than res.json keeps nothing: the key is free again once it is out.
          res.on('finish', () => {
            if (!answered) void store.release(claim).catch(() => undefined);
          });
          res.json = (body: unknown) => {
            answered = true;
            res.json = json;
            // Only accepted requests are remembered: a refused one wrote nothing, and a 5xx may succeed next time.
            if (res.statusCode >= 300) {
              store.release(claim).then(
                () => json(body),
                (err: unknown) => {
                  // The claim lapses on its own (leaseMs); until then the key answers "in progress".
                  req.log.error({ err }, 'could not release the Idempotency-Key');
                  json(body);
                },
              );
              return res;
            }
            const answer = { requestHash: hash, statusCode: res.statusCode, responseBody: body, ttlMs };
            store.settle(claim, answer).then(
              ({ record }) => {
                // Our claim lapsed and another request holds the key, not yet answered: this one's effect
                // happened all the same, so it gets its own answer.
                if (record.pending) return json(body);
                if (!sameRequest(record.requestHash))
                  return errorHandler(idempotencyKeyReused(), req, res, () => undefined);
                res.status(record.statusCode);
                json(record.responseBody);
              },
              (err: unknown) => {
                req.log.error({ err }, 'could not store the idempotent answer');
                json(body);
              },
            );
            return res;
          };
          proceed();
        },
        (err: unknown) => proceed(err),
      );
    };
    res.locals.idempotency = step;
    next();
  };
}

/** After authorization: replays or remembers under the request's Idempotency-Key, if it has one. */
export function runIdempotencyStep(res: Response, next: NextFunction): void {
  const step = res.locals.idempotency as IdempotencyStep | undefined;
  res.locals.idempotency = undefined;
  if (step) step(next);
  else next();
}
