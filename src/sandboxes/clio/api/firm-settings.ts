import { Router } from 'express';
import { parseFields } from '../http/fields-param';
import { renderContext, renderRecord } from '../http/render';
import { SEED_STAMP, USD } from '../seed/seed-firm';
import type { Doc } from '../state/record-store';
import { computeEtag } from '../state/record-store';
import type { SandboxState } from '../state/sandbox-state';
import { apiContext } from './respond';
import type { ResourceMeta } from './resource-meta';

const meta = (schema: string): ResourceMeta => ({ collection: schema, schema, links: {}, money: [] });

/** Read-only firm settings: the billing settings (time rounding the activities use) and currencies. */
export function firmSettingsRouter(state: SandboxState): Router {
  const router = Router();
  router.get('/settings/billing', (req, res) => {
    const settings = state.settings();
    const doc: Doc = {
      id: 1,
      rounding: settings.time_rounding_minutes,
      rounded_duration: settings.time_rounding_minutes / 60,
      use_decimal_rounding: false,
      currency: USD.code,
      currency_sign: USD.sign,
      tax_rate: 0,
      tax_name: 'Tax',
      apply_tax_by_default: false,
      time_on_flat_rate_contingency_matters_is_non_billable: false,
      use_secondary_tax: false,
      secondary_tax_rate: 0,
      secondary_tax_rule: 'Post',
      secondary_tax_name: 'Secondary tax',
      notify_after_bill_created: false,
      use_utbms_codes: true,
      created_at: SEED_STAMP,
      updated_at: SEED_STAMP,
    };
    doc.etag = computeEtag(doc);
    const rctx = renderContext(state.store, apiContext(state, req, res).version);
    res.json({
      data: renderRecord(rctx, meta('BillingSetting'), doc, parseFields(req.query.fields, 'BillingSetting')),
    });
  });
  router.get('/currencies', (req, res) => {
    const doc: Doc = { ...USD, created_at: SEED_STAMP, updated_at: SEED_STAMP };
    doc.etag = computeEtag(doc);
    const rctx = renderContext(state.store, apiContext(state, req, res).version);
    res.json({
      data: [renderRecord(rctx, meta('Currency'), doc, parseFields(req.query.fields, 'Currency'))],
      meta: { paging: {} },
    });
  });
  return router;
}
