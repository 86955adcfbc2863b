import { Router } from 'express';
import { type AuditStore, auditQueryParamsSchema, InvalidCursorError } from '../../audit';
import { AppError } from '../errors';
import { principalOf } from '../middleware/authenticate';
import { requirePermission } from '../middleware/authorize';

export const AuditQueryParams = auditQueryParamsSchema.strict();

/** The tenant's audit trail, newest first, filtered and paged; records are never changed through the API. */
export function auditRouter(deps: { audit: AuditStore }): Router {
  const router = Router();
  router.get('/v1/audit', requirePermission('audit.read', { query: AuditQueryParams }), async (req, res) => {
    const params = res.locals.query as ReturnType<typeof AuditQueryParams.parse>;
    try {
      const page = await deps.audit.query({ tenant: principalOf(req).tenant, ...params });
      res.json({ data: page.records, nextCursor: page.nextCursor ?? null });
    } catch (err) {
      if (err instanceof InvalidCursorError) {
        throw new AppError(
          400,
          'invalid_request',
          'Invalid request: query.cursor is not a cursor this API gave out',
          {
            fields: [{ field: 'query.cursor', reason: 'is not a cursor this API gave out' }],
          },
        );
      }
      throw err;
    }
  });
  return router;
}
