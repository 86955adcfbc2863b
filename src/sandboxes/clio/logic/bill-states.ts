/**
 * Clio's bill life cycle: draft → (awaiting_approval →) awaiting_payment → paid, with void for an
 * issued bill without payments and deleted for a draft. Void cannot be undone; a paid bill cannot change state.
 */
export type BillState = 'draft' | 'awaiting_approval' | 'awaiting_payment' | 'paid' | 'void' | 'deleted';

export const BILL_TRANSITIONS: Record<BillState, BillState[]> = {
  draft: ['awaiting_approval', 'awaiting_payment', 'deleted'],
  awaiting_approval: ['awaiting_payment', 'deleted'],
  awaiting_payment: ['paid', 'void'],
  paid: [],
  void: [],
  deleted: [],
};

/** States whose activities count as billed (on top of being on a bill). */
export const BILLED_STATES: BillState[] = ['awaiting_payment', 'paid'];
/** States that keep activities on the bill; void and deleted release them to unbilled. */
export const HOLDING_STATES: BillState[] = ['draft', 'awaiting_approval', 'awaiting_payment', 'paid'];

export const canTransition = (from: BillState, to: BillState): boolean => BILL_TRANSITIONS[from].includes(to);

/**
 * What DELETE does, allowed only for a bill without payments that is a draft, pending approval or unpaid: the
 * first two are deleted, an unpaid bill voided. Paid, partly paid, void and deleted bills are refused.
 */
export function deleteOutcome(state: BillState, paidCents: number): BillState | 'refuse' {
  if (paidCents > 0) return 'refuse';
  if (state === 'draft' || state === 'awaiting_approval') return 'deleted';
  if (state === 'awaiting_payment') return 'void';
  return 'refuse';
}
