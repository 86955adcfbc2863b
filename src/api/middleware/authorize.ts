import { type RequestHandler } from 'express';
import { z } from 'zod';
import { rolesFor, type Permission } from '../auth/permissions';
import { AppError } from '../errors';
import { runIdempotencyStep } from '../idempotency';
import { parseOrThrow } from '../validation';

const NoQuery = z.object({}).strict();

/**
 * Lets the request through only for the roles the permission matrix gives this permission, and only with the
 * query parameters the route declares (none unless a schema is given): an unknown parameter is a 400, as an
 * unknown body field is, rather than silently ignored. The parsed query is left in `res.locals.query`. Only
 * then does an Idempotency-Key replay or get remembered (idempotency.ts).
 */
export function requirePermission(permission: Permission, opts: { query?: z.ZodType } = {}): RequestHandler {
  const roles = rolesFor(permission);
  const querySchema = opts.query ?? NoQuery;
  return (req, res, next) => {
    const role = req.principal?.role;
    if (!role || !roles.includes(role)) {
      next(new AppError(403, 'forbidden', `Your role may not do this; it needs one of: ${roles.join(', ')}`));
      return;
    }
    try {
      res.locals.query = parseOrThrow(querySchema, req.query, 'query');
    } catch (err) {
      next(err);
      return;
    }
    runIdempotencyStep(res, next);
  };
}
