import { Router, type Request } from 'express';
import { forbidden, notFound, preconditionFailed } from '../http/errors';
import { parseFields } from '../http/fields-param';
import { encodePageToken, nextPageUrl, parsePaging } from '../http/paging';
import { renderContext, renderRecord } from '../http/render';
import type { Doc } from '../state/record-store';
import type { SandboxState } from '../state/sandbox-state';
import { FilterBuilder } from './list-filters';
import type { ApiContext, ResourceDef } from './resource-def';
import { apiContext, ifMatchFails, notModified, sendRecord, setRecordHeaders } from './respond';

const DEFAULT_MAX_LIMIT = 200;

function parseRecordId(req: Request): number | undefined {
  const n = Number(req.params.id);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return (typeof a === 'string' ? a : JSON.stringify(a)).localeCompare(
    typeof b === 'string' ? b : JSON.stringify(b),
  );
}

/**
 * Reads a dotted order field such as `client.name` off a record (links resolved through the store; of a list of
 * links, such as a bill's `matters`, the first).
 */
function orderValue(ctx: ApiContext, def: ResourceDef, doc: Doc, order: string): unknown {
  const field = def.orderPaths?.[order] ?? order;
  const [head, tail] = field.split('.') as [string, string | undefined];
  const value = doc[head];
  if (!tail) return value;
  const collection = def.meta.links[head];
  const link = (Array.isArray(value) ? value[0] : value) as Doc | undefined;
  const linked =
    collection && link && typeof link === 'object' ? ctx.state.store.get(collection, link.id) : undefined;
  return linked?.[tail];
}

function list(ctx: ApiContext, def: ResourceDef): { data: Record<string, unknown>[]; next?: string } {
  const { req, state } = ctx;
  def.validateList?.(ctx);
  const fields = parseFields(req.query.fields, def.meta.schema);
  const page = parsePaging(req.query, def.maxLimit ?? DEFAULT_MAX_LIMIT, def.orders ?? []);
  const filter = new FilterBuilder(req.query).common();
  def.filter?.(filter, ctx);
  const { where, predicate } = filter.build();
  let rows: Doc[];
  let token: string | undefined;
  if (page.order.field === 'id') {
    rows = state.store.list(def.meta.collection, {
      where,
      predicate,
      afterId: page.afterId,
      limit: page.limit + 1,
      descending: page.order.descending,
    });
    if (rows.length > page.limit) {
      rows = rows.slice(0, page.limit);
      token = encodePageToken({ a: (rows[rows.length - 1] as Doc).id });
    }
  } else {
    const all = state.store.list(def.meta.collection, { where, predicate });
    const dir = page.order.descending ? -1 : 1;
    all.sort(
      (x, y) =>
        dir * compare(orderValue(ctx, def, x, page.order.field), orderValue(ctx, def, y, page.order.field)) ||
        x.id - y.id,
    );
    rows = all.slice(page.offset, page.offset + page.limit);
    if (page.offset + page.limit < all.length) token = encodePageToken({ o: page.offset + page.limit });
  }
  const rctx = renderContext(state.store, ctx.version, req.query);
  return {
    data: rows.map((doc) => renderRecord(rctx, def.meta, doc, fields)),
    next: token && nextPageUrl(req, token),
  };
}

/** The token's user must hold one of the resource's write roles (Clio answers 403 otherwise). */
function assertMayWrite(ctx: ApiContext, def: ResourceDef): void {
  if (!def.writeRoles) return;
  const roles = (ctx.state.store.get('users', ctx.userId)?.roles as string[] | undefined) ?? [];
  if (!roles.some((r) => def.writeRoles?.includes(r)))
    throw forbidden(`Your role does not allow changing ${def.meta.collection.replace(/_/g, ' ')}`);
}

/** Mounts index, show, create, update and delete for one resource, with and without `.json`. */
export function resourceRouter(state: SandboxState, def: ResourceDef): Router {
  const router = Router();
  const base = `/${def.path}`;
  const load = (ctx: ApiContext): Doc => {
    const id = parseRecordId(ctx.req);
    const doc = id === undefined ? undefined : state.store.get(def.meta.collection, id);
    if (!doc) throw notFound(def.meta.schema || def.meta.collection);
    return doc;
  };

  router.get(base, (req, res) => {
    const { data, next } = list(apiContext(state, req, res), def);
    res.json({ data, meta: { paging: next ? { next } : {} } });
  });

  router.get(`${base}/:id`, (req, res) => {
    const ctx = apiContext(state, req, res);
    const doc = load(ctx);
    parseFields(req.query.fields, def.meta.schema);
    if (notModified(req, doc)) {
      setRecordHeaders(res, doc);
      res.status(304).end();
      return;
    }
    sendRecord(ctx, res, def.meta, doc);
  });

  if (def.create) {
    const create = def.create;
    router.post(base, (req, res) => {
      const ctx = apiContext(state, req, res);
      parseFields(req.query.fields, def.meta.schema);
      assertMayWrite(ctx, def);
      const doc = state.store.transaction(() => create(ctx, req.body));
      state.emitChange(def.meta.collection, 'created', doc);
      sendRecord(ctx, res, def.meta, doc, 201);
    });
  }

  if (def.update) {
    const update = def.update;
    router.patch(`${base}/:id`, (req, res) => {
      const ctx = apiContext(state, req, res);
      parseFields(req.query.fields, def.meta.schema);
      assertMayWrite(ctx, def);
      let previous: Doc | undefined;
      const doc = state.store.transaction(() => {
        previous = load(ctx);
        if (ifMatchFails(req, previous)) throw preconditionFailed();
        return update(ctx, previous, req.body);
      });
      state.emitChange(def.meta.collection, 'updated', doc, previous);
      sendRecord(ctx, res, def.meta, doc);
    });
  }

  if (def.destroy) {
    const destroy = def.destroy;
    router.delete(`${base}/:id`, (req, res) => {
      const ctx = apiContext(state, req, res);
      assertMayWrite(ctx, def);
      const doc = state.store.transaction(() => {
        const current = load(ctx);
        if (ifMatchFails(req, current)) throw preconditionFailed();
        destroy(ctx, current);
        return current;
      });
      state.emitChange(def.meta.collection, 'deleted', doc);
      res.status(204).end();
    });
  }
  return router;
}
