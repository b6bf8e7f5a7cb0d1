/** The one seeded pseudo-random generator every initializer, shuffle, dropout mask and sampler draws from. */

/** A seeded generator (mulberry32): same seed, same sequence, on every platform. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** A float in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** A fresh 32-bit seed for a sub-generator (for example one per epoch or per fold). */
  fork(): number;
  /** Fisher-Yates shuffle of an index array, in place. */
  shuffle<T extends { length: number; [i: number]: number }>(a: T): T;
}

/**
 * Creates a seeded generator.
 * @param seed - any integer; equal seeds give equal sequences
 * @returns the generator
 * @internal
 */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    int: (n) => Math.floor(next() * n),
    fork: () => Math.floor(next() * 4294967296) >>> 0,
    shuffle(a) {
      for (let i = a.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const tmp = a[i];
        a[i] = a[j];
        a[j] = tmp;
      }
      return a;
    },
  };
}
