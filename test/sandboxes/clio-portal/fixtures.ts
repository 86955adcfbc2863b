import type { ClioSandbox } from '../../../src/sandboxes/clio';
import type { Doc } from '../../../src/sandboxes/clio/state/record-store';

const ref = (v: unknown): number => (v as { id: number }).id;

/** Seeded records a test needs, found by rule rather than hard-coded ids. */
export function trustMatters(sb: ClioSandbox): { matter: Doc; sibling: Doc | undefined; other: Doc }[] {
  const { store } = sb.state;
  const trustIds = new Set(
    store
      .all('bank_accounts')
      .filter((a) => a.type === 'Trust')
      .map((a) => a.id),
  );
  const matters = store.all('matters');
  const deposits = store
    .all('bank_transactions')
    .filter((t) => trustIds.has(Number(t.bank_account_id)) && t.matter);
  return deposits.map((t) => {
    const matter = store.get('matters', ref(t.matter)) as Doc;
    const sibling = matters.find((m) => m.id !== matter.id && ref(m.client) === ref(matter.client));
    const other = matters.find((m) => ref(m.client) !== ref(matter.client)) as Doc;
    return { matter, sibling, other };
  });
}

export const unbilledTotal = (sb: ClioSandbox, matterId: number): number =>
  sb.state.store
    .list('activities', { where: [{ path: '$.matter.id', op: '=', value: matterId }] })
    .filter((a) => a.on_bill !== true && a.non_billable !== true)
    .reduce((s, a) => s + Number(a.total), 0);

export const idleMatter = (sb: ClioSandbox): Doc =>
  sb.state.store.all('matters').find((m) => unbilledTotal(sb, m.id) === 0) as Doc;
