import { Router } from 'express';
import { notFound } from '../http/errors';
import { parseFields } from '../http/fields-param';
import { encodePageToken, nextPageUrl, parsePaging } from '../http/paging';
import { renderContext, renderRecord } from '../http/render';
import type { Doc } from '../state/record-store';
import type { SandboxState } from '../state/sandbox-state';
import { relationshipsOf } from './relationships-query';
import { apiContext, sendRecord } from './respond';
import { metaFor, type ResourceMeta } from './resource-meta';

const embedded = (collection: string, schema: string): ResourceMeta => ({
  collection,
  schema,
  links: {},
  money: [],
});

/** Read-only views of records nested in others: a matter's client, a contact's emails and phones. */
export function nestedRoutes(state: SandboxState): Router {
  const router = Router();
  router.get('/matters/:id/client', (req, res) => {
    const matter = state.store.get('matters', Number(req.params.id));
    const client = matter && state.store.get('contacts', (matter.client as { id: number }).id);
    if (!client) throw notFound('Matter');
    sendRecord(apiContext(state, req, res), res, { ...metaFor('contacts'), schema: 'Client' }, client);
  });
  // The matter's client and the contacts of its relationships, flattened as Clio lists them.
  router.get('/matters/:id/related_contacts', (req, res) => {
    const matter = state.store.get('matters', Number(req.params.id));
    if (!matter) throw notFound('Matter');
    const clientId = (matter.client as { id: number }).id;
    const ids = [
      clientId,
      ...relationshipsOf(state.store, matter.id).map((r) => (r.contact as { id: number }).id),
    ];
    const fields = parseFields(req.query.fields, 'RelatedContacts');
    const rctx = renderContext(state.store, apiContext(state, req, res).version);
    const rows = [...new Set(ids)].flatMap((id) => {
      const c = state.store.get('contacts', id);
      if (!c) return [];
      const related: Doc = { ...c, contact_id: c.id, is_matter_client: c.id === clientId };
      return [renderRecord(rctx, embedded('related_contacts', 'RelatedContacts'), related, fields)];
    });
    res.json({ data: rows, meta: { paging: {} } });
  });
  for (const [segment, schema] of [
    ['email_addresses', 'EmailAddress'],
    ['phone_numbers', 'PhoneNumber'],
  ] as const) {
    router.get(`/contacts/:id/${segment}`, (req, res) => {
      const contact = state.store.get('contacts', Number(req.params.id));
      if (!contact) throw notFound('Contact');
      const meta = embedded(segment, schema);
      const fields = parseFields(req.query.fields, schema);
      const page = parsePaging(req.query, 200, []);
      const items = ((contact[segment] as Doc[] | undefined) ?? []).filter(
        (i) => page.afterId === undefined || i.id > page.afterId,
      );
      const rows = items.slice(0, page.limit);
      const rctx = renderContext(state.store, apiContext(state, req, res).version);
      const next =
        items.length > page.limit
          ? nextPageUrl(req, encodePageToken({ a: (rows[rows.length - 1] as Doc).id }))
          : undefined;
      res.json({
        data: rows.map((i) => renderRecord(rctx, meta, i, fields)),
        meta: { paging: next ? { next } : {} },
      });
    });
  }
  return router;
}
