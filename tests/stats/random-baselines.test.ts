import { describe, expect, it } from 'vitest';
import { DataError, percentileOf, randomSignalBaseline } from '../../src/index.js';
import { createRng } from '../../src/util/random.js';

function market(seed: number, n: number): number[] {
  const rng = createRng(seed);
  return Array.from(
    { length: n },
    () => 0.01 * (Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next())),
  );
}

describe('percentileOf', () => {
  it('counts values below and half the ties', () => {
    expect(percentileOf(2, [1, 2, 3, 4])).toBe(37.5);
    expect(percentileOf(5, [1, 2, 3, 4])).toBe(100);
    expect(percentileOf(0, [1, 2])).toBe(0);
    expect(() => percentileOf(1, [])).toThrow(DataError);
  });
});

describe('randomSignalBaseline', () => {
  it('keeps the turnover: on a flat market every random signal pays the same costs and Sharpe ratio', () => {
    const positions = [0, 1, 1, 0, 0, 0, 1, 1, 1, 1, 0, -1, -1, 0, 1, 1, 0, 0, 0, 0];
    const r = randomSignalBaseline(
      positions,
      positions.map(() => 0),
      { randomBaselines: 50, costBps: 10 },
    );
    expect(new Set(r.values.map((x) => x.toFixed(12)))).toEqual(new Set([r.value.toFixed(12)]));
    expect(r.percentile).toBe(50);
  });

  it('keeps the exposure: on a constant market with no costs every random signal earns the same', () => {
    const positions = [1, 1, 0, 0, 0, -1, 1, 1, 1, 0, 0, 1, -1, -1, 0];
    const r = randomSignalBaseline(
      positions,
      positions.map(() => 0.001),
      { randomBaselines: 50, costBps: 0 },
    );
    for (const x of r.values) expect(x).toBeCloseTo(r.value, 12);
  });

  it('moves the timing: the random signals differ, and a signal that knew the market ranks at the top', () => {
    const m = market(5, 500);
    const foresight = m.map((x) => (x > 0 ? 1 : 0));
    const r = randomSignalBaseline(foresight, m, { randomBaselines: 300, periodsPerYear: 252 });
    expect(new Set(r.values).size).toBeGreaterThan(250);
    expect(r.percentile).toBe(100);
    expect(r.count).toBe(300);
  });

  it('a signal unrelated to the market ranks near the middle on average over seeds', () => {
    const percentiles = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => {
      const m = market(seed, 400);
      const noise = market(seed + 100, 400).map((x) => (x > 0 ? 1 : 0));
      return randomSignalBaseline(noise, m, { randomBaselines: 200, seed }).percentile;
    });
    const mean = percentiles.reduce((a, b) => a + b, 0) / percentiles.length;
    expect(mean).toBeGreaterThan(25);
    expect(mean).toBeLessThan(75);
  });

  it('is seeded, annualizes like the strategy simulation, and refuses bad input', () => {
    const m = market(9, 100);
    const pos = m.map((_, t) => (t % 7 < 3 ? 1 : 0));
    const a = randomSignalBaseline(pos, m, { randomBaselines: 20, seed: 4 });
    expect(randomSignalBaseline(pos, m, { randomBaselines: 20, seed: 4 })).toEqual(a);
    expect(randomSignalBaseline(pos, m, { randomBaselines: 20, seed: 5 }).values).not.toEqual(a.values);
    const y = randomSignalBaseline(pos, m, { randomBaselines: 20, seed: 4, periodsPerYear: 52 });
    expect(y.value).toBeCloseTo(a.value * Math.sqrt(52), 12);
    expect(() => randomSignalBaseline([1, 0], [0.1], {})).toThrow(/2 positions for 1 market returns/);
    expect(() => randomSignalBaseline([1, 0], [0.1, Number.NaN])).toThrow(/finite/);
    expect(() => randomSignalBaseline([1, 0], [0.1, 0.2], { randomBaselines: 0 })).toThrow(/at least one signal/);
  });
});
