import prand from 'pure-rand';

/** A seeded generator: the same seed yields the same sequence, so seeds and fault decisions are repeatable. */
export interface Rng {
  int(min: number, max: number): number;
  float(): number;
  pick<T>(items: readonly T[]): T;
}

export function createRng(seed: number): Rng {
  const gen = prand.xoroshiro128plus(seed);
  const int = (min: number, max: number): number => prand.unsafeUniformIntDistribution(min, max, gen);
  return {
    int,
    float: () => int(0, 0x7fffffff) / 0x80000000,
    pick: <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!,
  };
}
