import { createHash } from 'node:crypto';
import stableStringify from 'fast-json-stable-stringify';
import { type RequestHandler } from 'express';
import { AppError } from './errors';

import { type IdempotencyRepository } from '../store/idempotency-repository';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** What makes two requests "the same": method, path and the body with its keys in a canonical order. */
export function requestHash(method: string, path: string, body: unknown): string {
  return sha256Hex(stableStringify({ method, path, body: body ?? null }));
}

export function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined || !KEY_PATTERN.test(key)) {
    throw new AppError(400, 'invalid_request', 'Idempotency-Key must be 1 to 255 visible ASCII characters', {
      fields: [{ field: 'header.idempotency-key', reason: 'must be 1 to 255 visible ASCII characters' }],
    });
  }
  return key;
}

/**
 * `Idempotency-Key` on writes: the same key with the same body gets the first answer again; with another body,
 * 409. Concurrent first requests are made safe one level down, by deriving workflow ids from the key.
 */
export function idempotency(store: IdempotencyRepository, ttlMs: number): RequestHandler {
  return (req, res, next) => {
    let key: string | undefined;
    try {
      key = idempotencyKeyOf(req.headers['idempotency-key']);
    } catch (err) {
      next(err);
      return;
    }
    if (req.method !== 'POST' || key === undefined || !req.principal) return next();
    const tenant = req.principal.tenant;
    const hash = requestHash(req.method, req.originalUrl.split('?')[0] ?? '', req.body);
    const idemKey = key;
    store.get(tenant, idemKey).then(
      (found) => {
        if (found && found.requestHash !== hash) {
          next(
            new AppError(
              409,
              'idempotency_key_reused',
              'This Idempotency-Key was used with a different request',
              {
                fields: [
                  { field: 'header.idempotency-key', reason: 'was already used with a different body' },
                ],
              },
            ),
          );
          return;
        }
        if (found) {
          res.setHeader('idempotent-replayed', 'true');
          res.status(found.statusCode).json(found.responseBody);
          return;
        }
        const json = res.json.bind(res);
        res.json = (body: unknown) => {
          // Only accepted requests are remembered: a refused one wrote nothing, and a 5xx may succeed next time.
          if (res.statusCode >= 300) return json(body);
          const answer = {
            tenant,
            key: idemKey,
            requestHash: hash,
            statusCode: res.statusCode,
            responseBody: body,
            ttlMs,
          };
          store.insertIfAbsent(answer).then(
            ({ record }) => {
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
        next();
      },
      (err: unknown) => next(err),
    );
  };
}
