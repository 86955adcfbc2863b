import { computeEtag, type Doc } from '../state/record-store';
import { ID_BASES, DEFAULT_ID_BASE } from '../state/id-bases';

/** Collects seeded records with deterministic ids, timestamps and etags. */
export class SeedBuilder {
  readonly data: Record<string, Doc[]> = {};
  readonly counters: Record<string, number> = {};

  /** Next id in a collection's range (also used for embedded items such as email addresses). */
  id(collection: string): number {
    const next = (this.counters[collection] ?? ID_BASES[collection] ?? DEFAULT_ID_BASE) + 1;
    this.counters[collection] = next;
    return next;
  }

  /** Etags last: generators may still adjust a record after adding it (a contact becoming a client). */
  finish(): Record<string, Doc[]> {
    for (const docs of Object.values(this.data)) for (const doc of docs) doc.etag = computeEtag(doc);
    return this.data;
  }

  add(collection: string, fields: Record<string, unknown>, stamp: string): Doc {
    const doc: Doc = { id: this.id(collection), ...fields, created_at: stamp, updated_at: stamp };
    (this.data[collection] ??= []).push(doc);
    return doc;
  }
}
