import { Router } from 'express';
import { type AuditStore, auditQueryParamsSchema } from '../../audit';
import { type CursorCodec } from '../cursor';
import { principalOf } from '../middleware/authenticate';
import { requirePermission } from '../middleware/authorize';

export const AuditQueryParams = auditQueryParamsSchema.strict();

/**
 * The tenant's audit trail, newest first, filtered and paged; records are never changed through the API. The
 * store's cursor (the last record's sequence number, shared by all tenants) goes out sealed and bound to the
 * filters like the reads' cursors: a client neither learns how many records other tenants write nor reuses a
 * cursor with other filters.
 */
export function auditRouter(deps: { audit: AuditStore; cursors: CursorCodec }): Router {
  const router = Router();
  router.get('/v1/audit', requirePermission('audit.read', { query: AuditQueryParams }), async (req, res) => {
    const { tenant } = principalOf(req);
    const { cursor, limit, ...filters } = res.locals.query as ReturnType<typeof AuditQueryParams.parse>;
    const list = `${tenant}:/v1/audit`;
    const storeCursor = cursor ? deps.cursors.decode(list, filters, cursor) : undefined;
    // Only a cursor this API sealed for this tenant, list and filters gets here, so the store's check always passes.
    const page = await deps.audit.query({
      tenant,
      limit,
      ...filters,
      ...(storeCursor ? { cursor: storeCursor } : {}),
    });
    res.json({
      data: page.records,
      nextCursor: page.nextCursor ? deps.cursors.encode(list, filters, page.nextCursor) : null,
    });
  });
  return router;
}
