import { LRUCache } from 'lru-cache';
import { deepFreeze } from './deep-freeze';

interface Entry {
  etag: string;
  value: unknown;
}

/**
 * Parsed records by request URL with the ETag they came with, so a repeated read can ask Clio
 * `If-None-Match` and reuse the record on a 304. Small and per client: it saves parsing and bandwidth, and
 * a miss only costs a normal read. Cached records are frozen: the client hands out copies.
 */
export class EtagCache {
  private readonly lru: LRUCache<string, Entry>;
  constructor(max: number) {
    this.lru = new LRUCache({ max: Math.max(1, max) });
  }

  get<T>(key: string): { etag: string; value: T } | undefined {
    const entry = this.lru.get(key);
    return entry ? { etag: entry.etag, value: entry.value as T } : undefined;
  }

  set(key: string, etag: string, value: unknown): void {
    this.lru.set(key, { etag, value: deepFreeze(value) });
  }

  delete(key: string): void {
    this.lru.delete(key);
  }
}
