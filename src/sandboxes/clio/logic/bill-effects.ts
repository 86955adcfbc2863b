import type { Doc, RecordStore } from '../state/record-store';
import { BILL_TRANSITIONS, BILLED_STATES, HOLDING_STATES, type BillState } from './bill-states';

/**
 * Moves a bill to a new state and keeps its activities in step: billed when issued, released to
 * unbilled (bill link removed) when voided or deleted. Call inside a transaction.
 */
export function setBillState(store: RecordStore, bill: Doc, to: BillState, today: string): Doc {
  const patch: Record<string, unknown> = {
    state: to,
    available_state_transitions: BILL_TRANSITIONS[to],
    can_update: to === 'draft' || to === 'awaiting_approval',
  };
  if (to === 'paid')
    Object.assign(patch, { paid: bill.total, balance: 0, due: 0, paid_at: new Date().toISOString() });
  if (to === 'awaiting_payment' && !bill.issued_at) patch.issued_at = today;
  if (to === 'void' || to === 'deleted') Object.assign(patch, { balance: 0, due: 0 });
  const updated = store.update('bills', bill.id, patch);
  for (const item of store.list('line_items', { where: [{ path: '$.bill.id', op: '=', value: bill.id }] })) {
    const activityId = (item.activity as { id: number } | undefined)?.id;
    const activity = activityId === undefined ? undefined : store.get('activities', activityId);
    if (!activity) continue;
    if (HOLDING_STATES.includes(to))
      store.update('activities', activity.id, {
        on_bill: true,
        billed: BILLED_STATES.includes(to),
        bill: { id: bill.id },
      });
    else store.update('activities', activity.id, { on_bill: false, billed: false, bill: undefined });
  }
  return updated;
}
