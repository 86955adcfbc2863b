import { Router } from 'express';
import { parseFields } from '../http/fields-param';
import { encodePageToken, nextPageUrl, parsePaging } from '../http/paging';
import { queryString } from '../http/query-value';
import { renderContext, renderRecord } from '../http/render';
import type { Doc, SqlCondition } from '../state/record-store';
import type { SandboxState } from '../state/sandbox-state';
import { rootFolder } from './folders';
import { FilterBuilder } from './list-filters';
import { hasExternalProperty } from './nested-items';
import { apiContext } from './respond';
import type { ResourceMeta } from './resource-meta';

const ITEM: ResourceMeta = {
  collection: 'items',
  schema: 'Item',
  links: { parent: 'folders', matter: 'matters', contact: 'contacts', creator: 'users' },
  money: [],
};

/**
 * `GET /folders/list`: a folder's contents, folders and documents together in id order (their id
 * ranges do not overlap, so one cursor pages through both). Default parent: the root folder.
 */
export function folderListRouter(state: SandboxState): Router {
  const router = Router();
  router.get('/folders/list', (req, res) => {
    const ctx = apiContext(state, req, res);
    const fields = parseFields(req.query.fields, 'Item');
    const page = parsePaging(req.query, 200, []);
    const parentId =
      req.query.parent_id === undefined
        ? state.store.transaction(() => rootFolder(state.store)).id
        : Number(queryString(req.query.parent_id));
    const f = new FilterBuilder(req.query)
      .common()
      .link('matter_id', '$.matter.id')
      .link('contact_id', '$.contact.id');
    if (req.query.include_deleted !== 'true') f.predicate((d) => !d.deleted_at);
    const name = queryString(req.query.external_property_name);
    const value = queryString(req.query.external_property_value);
    if (name !== undefined || value !== undefined) f.predicate((d) => hasExternalProperty(d, name, value));
    f.text(['name']);
    const { where, predicate } = f.build();
    const byParent: SqlCondition[] = [...where, { path: '$.parent.id', op: '=', value: parentId }];
    const query = { where: byParent, predicate, afterId: page.afterId, limit: page.limit + 1 };
    const showUncompleted = req.query.show_uncompleted === 'true';
    const documents = state.store
      .list('documents', query)
      .filter((d) => showUncompleted || d.fully_uploaded === true);
    const merged = [...state.store.list('folders', query), ...documents].sort((a, b) => a.id - b.id);
    const rows = merged.slice(0, page.limit);
    const rctx = renderContext(state.store, ctx.version, req.query);
    const next =
      merged.length > page.limit
        ? nextPageUrl(req, encodePageToken({ a: (rows[rows.length - 1] as Doc).id }))
        : undefined;
    res.json({
      data: rows.map((d) => renderRecord(rctx, ITEM, d, fields)),
      meta: { paging: next ? { next } : {} },
    });
  });
  return router;
}
