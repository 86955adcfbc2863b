import type { Doc, RecordStore } from '../state/record-store';

/** A matter's relationships (kept apart from relationships.ts so resource-meta can use it without a cycle). */
export const relationshipsOf = (store: RecordStore, matterId: number): Doc[] =>
  store.list('relationships', { where: [{ path: '$.matter.id', op: '=', value: matterId }] });
