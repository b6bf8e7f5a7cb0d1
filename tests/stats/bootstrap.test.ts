import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataError, ValidationError, realityCheck, spaTest, stationaryBootstrap } from '../../src/index.js';
import { defaultBlockLength, realityCheckWith, spaTestWith } from '../../src/stats/bootstrap.js';
import { createRng } from '../../src/util/random.js';

const ref = JSON.parse(readFileSync('fixtures/stats/stats-ref.json', 'utf8')).bootstrap as {
  benchmark: number[];
  losses: number[][];
  indices: number[][];
  realityCheck: { statistic: number; pValue: number; best: number };
  spa: { statistic: number; pValue: number; pValueLower: number; pValueUpper: number; best: number };
};
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

function normals(seed: number) {
  const rng = createRng(seed);
  return () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/** Losses of a benchmark and three models; model 0's loss is lower by `effect` (differentials have sd about 1). */
function simulate(draw: () => number, T: number, effect: number) {
  const benchmark = Array.from({ length: T }, () => 1 + draw() ** 2);
  const losses = [0, 1, 2].map((k) => benchmark.map((b) => b - (k === 0 ? effect : 0) + draw()));
  return { benchmark, losses };
}

describe('Reality Check and SPA on fixed resamples', () => {
  it('equal the numpy reference on the same stationary-bootstrap indices', () => {
    const rc = realityCheckWith(ref.losses, ref.benchmark, ref.indices);
    expect(rel(rc.statistic, ref.realityCheck.statistic)).toBeLessThan(1e-12);
    expect(rc.pValue).toBe(ref.realityCheck.pValue);
    expect(rc.best).toBe(ref.realityCheck.best);
    const spa = spaTestWith(ref.losses, ref.benchmark, ref.indices);
    expect(rel(spa.statistic, ref.spa.statistic)).toBeLessThan(1e-10);
    expect([spa.pValue, spa.pValueLower, spa.pValueUpper, spa.best]).toEqual([
      ref.spa.pValue,
      ref.spa.pValueLower,
      ref.spa.pValueUpper,
      ref.spa.best,
    ]);
  });

  it('the consistent p-value lies between the lower and upper ones', () => {
    const draw = normals(3);
    for (let s = 0; s < 20; s++) {
      const { benchmark, losses } = simulate(draw, 60, 0.1 * (s % 4));
      losses.push(benchmark.map((b) => b + 2 + draw())); // a poor model
      const t = spaTest(losses, benchmark, { resamples: 200, seed: s });
      expect(t.pValueLower).toBeLessThanOrEqual(t.pValue);
      expect(t.pValue).toBeLessThanOrEqual(t.pValueUpper);
    }
  });
});

describe('stationary bootstrap', () => {
  it('is seeded, wraps blocks around the end, and has geometric blocks of the mean length asked', () => {
    const a = stationaryBootstrap(200, { blockLength: 5, resamples: 300, seed: 9 });
    expect(stationaryBootstrap(200, { blockLength: 5, resamples: 300, seed: 9 })).toEqual(a);
    expect(stationaryBootstrap(200, { blockLength: 5, resamples: 300, seed: 10 })).not.toEqual(a);
    let blocks = 0;
    let periods = 0;
    const hits = new Float64Array(200);
    for (const idx of a) {
      blocks++;
      for (let t = 1; t < idx.length; t++) if (idx[t] !== (idx[t - 1] + 1) % 200) blocks++;
      periods += idx.length;
      idx.forEach((i) => hits[i]++);
    }
    // A jump can land on the next index by chance (1/200), which shortens the count by a hair.
    expect(periods / blocks).toBeGreaterThan(4.7);
    expect(periods / blocks).toBeLessThan(5.3);
    // Every period is drawn about equally often (no edge effect: blocks wrap).
    const mean = periods / 200;
    expect(Math.max(...hits) / mean).toBeLessThan(1.35);
    expect(Math.min(...hits) / mean).toBeGreaterThan(0.65);
  });

  it('defaults to the cube root of the length for the mean block length and 1000 resamples', () => {
    expect(defaultBlockLength(1000)).toBe(10);
    expect(defaultBlockLength(250)).toBe(6);
    expect(defaultBlockLength(1)).toBe(1);
    expect(stationaryBootstrap(30).length).toBe(1000);
    expect(() => stationaryBootstrap(0)).toThrow(DataError);
    expect(() => stationaryBootstrap(10, { blockLength: 0.5 })).toThrow(ValidationError);
  });
});

describe('size and power on simulated losses', () => {
  // 500 nulls: three models whose losses equal the benchmark's in expectation; T 200, 200 resamples each.
  // (At T 100 the default blocks of 5 over-reject a little: 8-9%; docs/backtesting.md says so.)
  it('rejects at most 7% of true nulls at the 5% level (SPA consistent p-value and Reality Check)', () => {
    const draw = normals(2025);
    let spa = 0;
    let rc = 0;
    const nulls = 500;
    for (let s = 0; s < nulls; s++) {
      const { benchmark, losses } = simulate(draw, 200, 0);
      const idx = stationaryBootstrap(200, { resamples: 200, seed: s });
      if (spaTestWith(losses, benchmark, idx).pValue < 0.05) spa++;
      if (realityCheckWith(losses, benchmark, idx).pValue < 0.05) rc++;
    }
    expect(spa / nulls).toBeLessThanOrEqual(0.07);
    expect(rc / nulls).toBeLessThanOrEqual(0.07);
    // Not a test that never rejects.
    expect(spa / nulls).toBeGreaterThan(0.01);
  });

  it('finds a model whose loss is lower by 0.3 (differential sd about 1) with power of at least 0.8 at T 100', () => {
    const draw = normals(7);
    let spa = 0;
    const runs = 200;
    for (let s = 0; s < runs; s++) {
      const { benchmark, losses } = simulate(draw, 100, 0.3);
      const t = spaTestWith(losses, benchmark, stationaryBootstrap(100, { resamples: 200, seed: s }));
      if (t.pValue < 0.05 && t.best === 0) spa++;
    }
    expect(spa / runs).toBeGreaterThanOrEqual(0.8);
  });
});

describe('inputs', () => {
  it('refuses no models, unequal lengths and non-finite losses; never mutates them', () => {
    expect(() => realityCheck([], [1, 2, 3])).toThrow(/at least one model/);
    expect(() => spaTest([[1, 2]], [1, 2, 3])).toThrow(/model 0 has 2 losses, the benchmark 3/);
    expect(() => spaTest([[1, Number.NaN, 2]], [1, 2, 3])).toThrow(/finite/);
    const losses = [[1, 2, 3, 4]];
    const bench = [2, 2, 2, 2];
    spaTest(losses, bench, { resamples: 10 });
    expect(losses).toEqual([[1, 2, 3, 4]]);
    expect(bench).toEqual([2, 2, 2, 2]);
  });
});
