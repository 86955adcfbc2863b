import { asText } from '../http/query-value';
import { z } from 'zod';
import { badRequest, forbidden, unprocessable } from '../http/errors';
import { setBillState } from '../logic/bill-effects';
import { canTransition, deleteOutcome, type BillState } from '../logic/bill-states';
import type { Doc } from '../state/record-store';
import { dataOf, parseInput, zDate, zNumber } from './input';
import type { ApiContext, ResourceDef } from './resource-def';
import { metaFor } from './resource-meta';

const STATES = ['draft', 'awaiting_approval', 'awaiting_payment', 'paid', 'void', 'deleted'] as const;

const BillPatch = z.object({
  state: z.enum(STATES).optional(),
  issued_at: zDate.optional(),
  due_at: zDate.optional(),
  memo: z.string().optional(),
  subject: z.string().optional(),
  number: z.string().min(1).optional(),
  purchase_order: z.string().optional(),
  tax_rate: zNumber.min(0).optional(),
  secondary_tax_rate: zNumber.min(0).optional(),
});

const today = (): string => new Date().toISOString().slice(0, 10);

function updateBill(ctx: ApiContext, current: Doc, body: unknown): Doc {
  const input = parseInput(BillPatch, dataOf(body));
  const { store } = ctx.state;
  const state = current.state as BillState;
  const { state: target, ...fields } = input;
  if (Object.keys(fields).length && !['draft', 'awaiting_approval', 'awaiting_payment'].includes(state))
    throw unprocessable(`A bill in state ${state} cannot be changed`);
  let doc = Object.keys(fields).length ? store.update('bills', current.id, fields) : current;
  if (target && target !== state) {
    if (!canTransition(state, target)) throw unprocessable(`A bill cannot move from ${state} to ${target}`);
    if (target === 'void' && Number(current.paid ?? 0) > 0)
      throw unprocessable('A bill with payments cannot be voided; remove its payments first');
    if (target === 'awaiting_payment' && state === 'draft' && ctx.state.settings().require_bill_approval)
      throw unprocessable('This firm requires approval: move the bill to awaiting_approval first');
    doc = setBillState(store, doc, target, today());
  }
  return doc;
}

function destroyBill(ctx: ApiContext, current: Doc): void {
  const outcome = deleteOutcome(current.state as BillState, Number(current.paid ?? 0));
  if (outcome === 'refuse')
    throw forbidden(
      Number(current.paid ?? 0) > 0
        ? 'A bill with payments cannot be voided or deleted; remove its payments first'
        : `A bill in state ${String(current.state)} cannot be deleted`,
    );
  setBillState(ctx.state.store, current, outcome, today());
}

export const billsDef: ResourceDef = {
  meta: metaFor('bills'),
  path: 'bills',
  writeRoles: ['admin', 'billing', 'accounts'],
  // Clio's `order` enum for GET /bills.json (total, state and updated_at are not in it).
  orders: [
    'due_at',
    'issued_at',
    'paid_at',
    'last_sent_at',
    'client_name',
    'matter_display_number',
    'balance',
    'number',
  ],
  orderPaths: { client_name: 'client.name', matter_display_number: 'matters.display_number' },
  filter: (f) => {
    f.link('client_id', '$.client.id', { nullable: false });
    f.equals('state', '$.state', STATES);
    // Clio's `type` filter is the bill's kind (revenue or trust request), not its `type` field (MatterBill…).
    if (f.query.type !== undefined) {
      const kind = asText(f.query.type);
      if (kind !== 'revenue' && kind !== 'trust') throw badRequest(`Invalid type: ${kind}`);
      f.predicate((b) => (b.kind ?? 'revenue_kind') === `${kind}_kind`);
    }
    // A bill lists its matters (`matters[]`); `null` matches bills without one.
    const matter = f.linkId('matter_id');
    if (matter !== undefined)
      f.predicate((b) => {
        const ids = ((b.matters as { id: number }[] | undefined) ?? []).map((m) => m.id);
        return matter === null ? ids.length === 0 : ids.includes(matter);
      });
    f.dateRange('issued_after', 'issued_before', '$.issued_at');
    f.dateRange('due_after', 'due_before', '$.due_at');
    if (f.query.overdue_only === 'true')
      f.predicate((b) => b.state === 'awaiting_payment' && String(b.due_at) < today());
    // Clio types this `query` as an int32 and matches it against the invoice number only.
    if (f.query.query !== undefined) {
      const q = asText(f.query.query);
      const n = Number(q);
      if (!/^\d+$/.test(q) || n > 2_147_483_647) throw badRequest('Invalid query: expected an integer');
      f.predicate((b) => String(b.number).includes(String(n)));
    }
  },
  update: updateBill,
  destroy: destroyBill,
};
