import { type RequestHandler } from 'express';
import { AppError } from '../errors';

/**
 * Refuses a JSON body nested deeper than `maxDepth`. JSON.parse takes any depth, but what reads the body after it
 * recurses (schema checks, the canonical form an Idempotency-Key is compared by) and would run out of stack on a
 * few kilobytes of brackets. No request this API takes nests beyond a handful of levels.
 */
export function limitJsonDepth(maxDepth: number): RequestHandler {
  return (req, _res, next) => {
    if (depthExceeds(req.body, maxDepth)) {
      next(
        new AppError(400, 'invalid_request', `Invalid request: body nests deeper than ${maxDepth} levels`, {
          fields: [{ field: 'body', reason: `nests deeper than ${maxDepth} levels` }],
        }),
      );
      return;
    }
    next();
  };
}

function depthExceeds(value: unknown, maxDepth: number): boolean {
  // Iterative on purpose: the check itself must not recurse.
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: v, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) return true;
    for (const child of Object.values(v)) stack.push({ value: child, depth: depth + 1 });
  }
  return false;
}
