import { Router } from 'express';
import { type z } from 'zod';
import { type ClioClient } from '../../integrations/clio/clio-client';
import { ClioApiError } from '../../integrations/clio/errors';
import { type ClioResource, type Page } from '../../integrations/clio/resource';
import { type EtaggedJson, etaggedJson, sendEtaggedJson } from '../etagged-json';
import { type Query } from '../../integrations/clio/http-client';
import { type Permission } from '../auth/permissions';
import { fromClioError } from '../clio-errors';
import { AppError } from '../errors';
import { type CursorCodec } from '../cursor';
import { principalOf } from '../middleware/authenticate';
import { requirePermission } from '../middleware/authorize';
import { parseOrThrow } from '../validation';
import {
  BillListQuery,
  ContactListQuery,
  IdParam,
  MatterListQuery,
  TimeEntryListQuery,
} from '../views/schemas';

interface ReadDeps {
  clio: (tenant: string) => ClioClient;
  cursors: CursorCodec;
}

type ListQuery = {
  limit: number;
  cursor?: string;
  updatedSince?: string;
  query?: string;
  status?: string;
  clientId?: string;
  matterId?: string;
  type?: string;
};

/** The API's filter names → Clio's. */
function clioFilters(q: ListQuery, statusParam: 'status' | 'state'): Query {
  return {
    updated_since: q.updatedSince,
    query: q.query,
    [statusParam]: q.status,
    client_id: q.clientId,
    matter_id: q.matterId,
    type: q.type,
  };
}

/**
 * Clio refused the page token sealed in a valid cursor (its documents do not say how long one lives): the cursor
 * is stale, the client's to drop. The filters were validated here, so the token is what Clio objected to.
 */
function staleCursor(): AppError {
  return new AppError(400, 'invalid_request', 'Invalid request: query.cursor is no longer accepted by Clio', {
    fields: [
      {
        field: 'query.cursor',
        reason: 'is no longer accepted by Clio; start the list again without a cursor',
      },
    ],
  });
}

/**
 * A page as this API answers it, kept with the page it renders. The Clio client hands back the same frozen page
 * while Clio's answer is unchanged, so a repeated read is not serialized (nor its cursor signed) again. Kept
 * with the list and filters too, which the cursor is bound to: two lists could share one Clio query.
 */
const rendered = new WeakMap<object, { boundTo: string; answer: EtaggedJson }>();

function renderPage(page: Page<unknown>, boundTo: string, view: () => unknown): EtaggedJson {
  const kept = rendered.get(page);
  if (kept?.boundTo === boundTo) return kept.answer;
  const answer = etaggedJson(view());
  rendered.set(page, { boundTo, answer });
  return answer;
}

function listRoute<T>(
  router: Router,
  deps: ReadDeps,
  spec: {
    path: string;
    permission: Permission;
    query: z.ZodType;
    what: string;
    resource: (c: ClioClient) => ClioResource<T>;
    statusParam?: 'status' | 'state';
    fixed?: Query;
  },
) {
  router.get(spec.path, requirePermission(spec.permission, { query: spec.query }), async (req, res) => {
    const { tenant } = principalOf(req);
    const q = res.locals.query as ListQuery;
    const { cursor, limit, ...filters } = q;
    const list = `${tenant}:${spec.path}`;
    const pageToken = cursor ? deps.cursors.decode(list, filters, cursor) : undefined;
    try {
      const page = await spec.resource(deps.clio(tenant)).listPage({
        limit,
        pageToken,
        filters: { ...clioFilters(q, spec.statusParam ?? 'status'), ...spec.fixed },
      });
      sendEtaggedJson(
        req,
        res,
        renderPage(page, `${list}?${JSON.stringify(filters)}`, () => ({
          data: page.data,
          nextCursor: page.nextPageToken ? deps.cursors.encode(list, filters, page.nextPageToken) : null,
        })),
      );
    } catch (err) {
      if (
        pageToken !== undefined &&
        err instanceof ClioApiError &&
        (err.status === 400 || err.status === 422)
      )
        throw staleCursor();
      throw fromClioError(err, spec.what);
    }
  });
}

function getRoute<T>(
  router: Router,
  deps: ReadDeps,
  spec: { path: string; permission: Permission; what: string; resource: (c: ClioClient) => ClioResource<T> },
) {
  router.get(spec.path, requirePermission(spec.permission), async (req, res) => {
    const { tenant } = principalOf(req);
    const { id } = parseOrThrow(IdParam, req.params, 'path');
    try {
      // The Clio client revalidates with If-None-Match where Clio's ETag covers all it shows (a bill, not a matter
      // shown with its client's name): an unchanged record then costs no full transfer.
      sendEtaggedJson(req, res, etaggedJson(await spec.resource(deps.clio(tenant)).get(id)));
    } catch (err) {
      throw fromClioError(err, spec.what);
    }
  });
}

/** Normalized reads of Clio records, through the tenant's Clio client and its rate budget. */
export function readsRouter(deps: ReadDeps): Router {
  const router = Router();
  listRoute(router, deps, {
    path: '/v1/matters',
    permission: 'matters.list',
    query: MatterListQuery,
    what: 'Matters',
    resource: (c) => c.matters,
  });
  getRoute(router, deps, {
    path: '/v1/matters/:id',
    permission: 'matters.read',
    what: 'Matter',
    resource: (c) => c.matters,
  });
  listRoute(router, deps, {
    path: '/v1/contacts',
    permission: 'contacts.list',
    query: ContactListQuery,
    what: 'Contacts',
    resource: (c) => c.contacts,
  });
  getRoute(router, deps, {
    path: '/v1/contacts/:id',
    permission: 'contacts.read',
    what: 'Contact',
    resource: (c) => c.contacts,
  });
  listRoute(router, deps, {
    path: '/v1/time-entries',
    permission: 'time_entries.list',
    query: TimeEntryListQuery,
    what: 'Time entries',
    resource: (c) => c.activities,
    fixed: { type: 'TimeEntry' },
  });
  listRoute(router, deps, {
    path: '/v1/bills',
    permission: 'bills.list',
    query: BillListQuery,
    what: 'Bills',
    resource: (c) => c.bills,
    statusParam: 'state',
  });
  getRoute(router, deps, {
    path: '/v1/bills/:id',
    permission: 'bills.read',
    what: 'Bill',
    resource: (c) => c.bills,
  });
  return router;
}
