import { type RequestHandler } from 'express';
import { rolesFor, type Permission } from '../auth/permissions';
import { AppError } from '../errors';

/** Lets the request through only for the roles the permission matrix gives this permission. */
export function requirePermission(permission: Permission): RequestHandler {
  const roles = rolesFor(permission);
  return (req, _res, next) => {
    const role = req.principal?.role;
    if (!role || !roles.includes(role)) {
      next(new AppError(403, 'forbidden', `Your role may not do this; it needs one of: ${roles.join(', ')}`));
      return;
    }
    next();
  };
}
