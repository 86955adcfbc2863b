import { LRUCache } from 'lru-cache';
import { deepFreeze } from './deep-freeze';

interface Entry {
  bytes: Buffer;
  value: unknown;
}

/**
 * Parsed answers by request URL, with the exact bytes they were parsed from. Clio sends no ETag for lists, so
 * a list page is revalidated by content instead: the page is fetched every time (nothing is ever stale), and
 * when Clio answers the same bytes as last time the earlier parse is reused, skipping decoding, JSON parsing and
 * schema validation. Values are frozen because callers share them. Bounded by the bytes it holds.
 */
export class AnswerMemo {
  private readonly lru: LRUCache<string, Entry>;
  constructor(maxBytes: number) {
    this.lru = new LRUCache({
      maxSize: Math.max(1, maxBytes),
      sizeCalculation: (e) => Math.max(1, e.bytes.length),
    });
  }

  /** `parse()` unless `bytes` are what `key` answered last time; a parse that throws is not kept. */
  parse<T>(key: string, bytes: Buffer, parse: () => T): T {
    const entry = this.lru.get(key);
    if (entry?.bytes.equals(bytes)) return entry.value as T;
    const value = deepFreeze(parse());
    // An answer larger than the whole memo is simply not kept (lru-cache refuses it).
    this.lru.set(key, { bytes, value });
    return value;
  }
}
