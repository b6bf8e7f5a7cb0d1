import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eiselLemire, powersOfFive } from '../../../src/data/csv/csv-eisel-lemire.js';

// Made by scripts/decimal_ref.py: the table by exact integer arithmetic (Python), the cases' doubles by CPython's
// correctly rounded float().
const ref = JSON.parse(readFileSync('fixtures/csv/decimal-ref.json', 'utf8')) as {
  powers: string[];
  cases: [string, string][];
};

const hex = (words: Uint32Array) => Array.from(words, (w) => w.toString(16).padStart(8, '0')).join('');
const split = (w: bigint) => [Number(w >> 32n), Number(w & 0xffffffffn)] as const;
const bitsOf = (x: number) => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
};

describe('powersOfFive', () => {
  it('equals the reference table for every q in [-342, 308]', () => {
    const table = powersOfFive();
    expect(ref.powers).toHaveLength(651);
    const mine = ref.powers.map((_, k) => hex(table.subarray(4 * k, 4 * k + 4)));
    expect(mine).toEqual(ref.powers);
  });

  it("matches entries of fast_float's published table", () => {
    const table = powersOfFive();
    const at = (q: number) => hex(table.subarray(4 * (q + 342), 4 * (q + 342) + 4));
    // fast_float's power_of_five_128 (as reproduced in kubo39/parsefloat, source/parsefloat/lemire.d).
    expect(at(-342)).toBe('eef453d6923bd65a113faa2906a13b3f');
    expect(at(-27)).toBe('9e74d1b791e07e48775ea264cf55347e');
    expect(at(-1)).toBe('cccccccccccccccccccccccccccccccd');
    expect(at(0)).toBe('80000000000000000000000000000000');
    expect(at(55)).toBe('d0cf4b50cfe20765fff4b4e3f741cf6d');
    expect(at(182)).toBe('c0cb28a98fcf3c7f84576a1bb416a7dd');
  });
});

describe('eiselLemire', () => {
  it('gives the correctly rounded double of the reference cases it decides (ties, near-ties, range ends)', () => {
    let decided = 0;
    let fitting = 0;
    for (const [text, bits] of ref.cases) {
      const m = /^(\d+)e(-?\d+)$/.exec(text);
      if (!m || BigInt(m[1]) >= 1n << 64n || BigInt(m[1]) === 0n) continue;
      fitting++;
      const v = eiselLemire(...split(BigInt(m[1])), Number(m[2]));
      if (Number.isNaN(v)) continue;
      decided++;
      expect(bitsOf(v), text).toBe(bits);
    }
    // Every case of a 64-bit significand whose double is normal and finite is decided (none left to Number()).
    expect(fitting).toBeGreaterThan(1000);
    expect(decided).toBeGreaterThan(fitting * 0.98);
  });

  it('equals Number() on random 64-bit significands and powers of ten (seeded)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }), fc.integer({ min: -342, max: 308 }), (w, q) => {
        const v = eiselLemire(...split(w), q);
        const expected = Number(`${w}e${q}`);
        // NaN only where the double is subnormal, zero or infinite (left to Number()).
        if (Number.isNaN(v))
          expect(Math.abs(expected) < 2.2250738585072014e-308 || !Number.isFinite(expected)).toBe(true);
        else expect(Object.is(v, expected), `${w}e${q}`).toBe(true);
      }),
      { numRuns: 20000, seed: 16 },
    );
  });

  it('rounds exact ties to even: 2^53 + 1 and 2^53 + 3', () => {
    expect(eiselLemire(...split(2n ** 53n + 1n), 0)).toBe(2 ** 53);
    expect(eiselLemire(...split(2n ** 53n + 3n), 0)).toBe(2 ** 53 + 4);
    expect(eiselLemire(...split(2n ** 53n - 1n), 0)).toBe(2 ** 53 - 1);
  });

  it('leaves zero, subnormals, overflow and powers beyond the table to Number()', () => {
    expect(eiselLemire(0, 0, 5)).toBeNaN();
    expect(eiselLemire(0, 49, -325)).toBeNaN(); // 4.9e-324, the least subnormal
    expect(eiselLemire(0, 18, 307)).toBeNaN(); // 1.8e308 is past the largest double
    expect(eiselLemire(0, 1, -343)).toBeNaN();
    expect(eiselLemire(0, 1, 309)).toBeNaN();
    expect(eiselLemire(0, 1, 308)).toBe(1e308);
  });
});
