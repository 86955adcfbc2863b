import type { RecordStore } from '../state/record-store';
import { generateSeed, type SeedData } from './generate-seed';

/**
 * Generated seeds are kept per seed number for the life of the process: they are immutable data, and
 * reusing them is what keeps `POST /_sandbox/reset` and new test sandboxes fast.
 */
const cache = new Map<number, SeedData>();

export function seedFor(seed: number): SeedData {
  let data = cache.get(seed);
  if (!data) {
    data = generateSeed(seed);
    cache.set(seed, data);
  }
  return data;
}

/** Replaces every record with the seed, in one transaction. */
export function applySeed(store: RecordStore, seed: number): SeedData {
  const data = seedFor(seed);
  store.transaction(() => {
    store.clearAll();
    for (const [collection, docs] of Object.entries(data.records)) store.insertMany(collection, docs);
    for (const [collection, last] of Object.entries(data.counters)) store.bumpSequence(collection, last + 1);
    store.setMeta('settings', JSON.stringify(data.settings));
    store.setMeta('seed', String(seed));
  });
  return data;
}
