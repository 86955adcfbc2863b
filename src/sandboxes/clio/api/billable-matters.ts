import { Router } from 'express';
import { hoursOf } from '../logic/time-math';
import { FilterBuilder } from './list-filters';
import { encodePageToken, nextPageUrl, parsePaging } from '../http/paging';
import { parseFields } from '../http/fields-param';
import type { SandboxState } from '../state/sandbox-state';
import type { Doc } from '../state/record-store';
import { apiContext } from './respond';
import { metaFor, type ResourceMeta } from './resource-meta';
import { renderContext, renderRecord } from '../http/render';

const META: ResourceMeta = {
  ...metaFor('matters'),
  collection: 'billable_matters',
  schema: 'BillableMatter',
  money: ['unbilled_amount', 'amount_in_trust'],
  links: { client: 'contacts' },
};

/**
 * Matters with unbilled billable work, computed on request (Clio derives them too): unbilled hours and
 * amount from the activities, trust held from the matter's trust transactions. Up to 1000 per page.
 */
export function billableMattersRouter(state: SandboxState): Router {
  const router = Router();
  router.get('/billable_matters', (req, res) => {
    const ctx = apiContext(state, req, res);
    const fields = parseFields(req.query.fields, META.schema);
    const page = parsePaging(req.query, 1000, []);
    const f = new FilterBuilder(req.query)
      .link('matter_id', '$.matter.id')
      .dateRange('start_date', 'end_date', '$.date');
    const sums = new Map<number, { seconds: number; cents: number }>();
    for (const a of state.store.list('activities', {
      ...f.build(),
      predicate: (a) => a.on_bill !== true && a.non_billable !== true,
    })) {
      const id = (a.matter as { id: number } | undefined)?.id;
      if (id === undefined) continue;
      const s = sums.get(id) ?? { seconds: 0, cents: 0 };
      if (a.type === 'TimeEntry') s.seconds += Number(a.rounded_quantity);
      s.cents += Number(a.total);
      sums.set(id, s);
    }
    const trust = new Map<number, number>();
    for (const t of state.store.list('bank_transactions')) {
      const id = (t.matter as { id: number } | undefined)?.id;
      if (id !== undefined)
        trust.set(id, (trust.get(id) ?? 0) + Number(t.funds_in ?? 0) - Number(t.funds_out ?? 0));
    }
    const mf = new FilterBuilder(req.query)
      .link('client_id', '$.client.id')
      .link('responsible_attorney_id', '$.responsible_attorney.id')
      .link('originating_attorney_id', '$.originating_attorney.id');
    mf.where.push({ path: 'id', op: 'in', value: [...sums.keys()] });
    mf.text(['display_number', 'description']);
    const matters = state.store.list('matters', {
      ...mf.build(),
      afterId: page.afterId,
      limit: page.limit + 1,
    });
    const more = matters.length > page.limit;
    const rows = matters.slice(0, page.limit);
    const rctx = renderContext(state.store, ctx.version);
    const data = rows.map((m) => {
      const s = sums.get(m.id) as { seconds: number; cents: number };
      const doc: Doc = {
        id: m.id,
        etag: m.etag,
        display_number: m.display_number,
        unbilled_hours: hoursOf(s.seconds),
        unbilled_amount: s.cents,
        amount_in_trust: trust.get(m.id) ?? 0,
        currency_code: 'USD',
        currency_id: 1,
        client: m.client,
      };
      return renderRecord(rctx, META, doc, fields);
    });
    const next = more
      ? nextPageUrl(req, encodePageToken({ a: (rows[rows.length - 1] as Doc).id }))
      : undefined;
    res.json({ data, meta: { paging: next ? { next } : {} } });
  });
  return router;
}
