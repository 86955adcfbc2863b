import { Router } from 'express';
import { notFound } from '../http/errors';
import type { SandboxState } from '../state/sandbox-state';
import type { ResourceDef } from './resource-def';
import { metaFor } from './resource-meta';
import { apiContext, sendRecord } from './respond';

/** Allocations (payments and credits applied to bills) are read-only; the portal records them. */
export const allocationsDef: ResourceDef = {
  meta: metaFor('allocations'),
  path: 'allocations',
  orders: ['date'],
  filter: (f) => {
    f.link('bill_id', '$.bill.id');
    f.link('contact_id', '$.contact.id');
    f.link('matter_id', '$.matter.id');
    f.link('parent_id', '$.parent.id');
    f.equals('parent_type', '$.parent.type', ['Payment', 'CreditMemo']);
    const status = f.query.status;
    if (status !== undefined) f.predicate((a) => (status === 'invalid') === Boolean(a.voided_at));
  },
};

/** `GET /bank_transfers/{id}`: the one bank transfer read Clio offers (no list, no create). */
export function bankTransfersRouter(state: SandboxState): Router {
  const router = Router();
  router.get('/bank_transfers/:id', (req, res) => {
    const transfer = state.store.get('bank_transfers', Number(req.params.id));
    if (!transfer) throw notFound('BankTransfer');
    sendRecord(apiContext(state, req, res), res, metaFor('bank_transfers'), transfer);
  });
  return router;
}
