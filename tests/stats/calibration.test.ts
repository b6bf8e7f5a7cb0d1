import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataError, coverageByLevel, pit } from '../../src/index.js';

const ref = JSON.parse(readFileSync('fixtures/stats/stats-ref.json', 'utf8')).calibration as {
  levels: number[];
  points: { actual: number; quantiles: number[] }[];
  pitCounts: number[];
  chiSquare: { statistic: number; pValue: number };
  coverage: number[];
};

describe('pit', () => {
  it('counts and tests like numpy and scipy.stats.chisquare (quantiles too narrow: a U shape)', () => {
    const h = pit(ref.points, ref.levels);
    expect(h.bins.map((b) => b.count)).toEqual(ref.pitCounts);
    expect(h.count).toBe(ref.points.length);
    expect(h.bins.map((b) => [b.lower, b.upper])).toEqual([0, ...ref.levels].map((l, k) => [l, [...ref.levels, 1][k]]));
    expect(h.bins.reduce((s, b) => s + b.expected, 0)).toBeCloseTo(1, 14);
    expect(h.chiSquare.statistic).toBeCloseTo(ref.chiSquare.statistic, 9);
    expect(h.chiSquare.pValue / ref.chiSquare.pValue).toBeCloseTo(1, 8);
    expect(h.chiSquare.df).toBe(ref.levels.length);
    // Too narrow: the outer bins hold more than their share.
    expect(h.bins[0].count / h.count).toBeGreaterThan(h.bins[0].expected);
    expect(h.bins[7].count / h.count).toBeGreaterThan(h.bins[7].expected);
  });

  it('by hand', () => {
    const h = pit(
      [
        { actual: 0.3, quantiles: [-1, 0, 1] },
        { actual: 2, quantiles: [-1, 0, 1] },
        { actual: -3, quantiles: [-1, 0, 1] },
      ],
      [0.1, 0.5, 0.9],
    );
    expect(h.bins.map((b) => b.count)).toEqual([1, 0, 1, 1]);
    expect(h.bins.map((b) => b.expected)).toEqual([0.1, 0.4, 0.4, 0.09999999999999998]);
  });
});

describe('coverageByLevel', () => {
  it('equals numpy, nominal next to observed', () => {
    const c = coverageByLevel(ref.points, ref.levels);
    expect(c.map((x) => x.nominal)).toEqual(ref.levels);
    c.forEach((x, k) => expect(x.observed).toBeCloseTo(ref.coverage[k], 14));
    expect(c.map((x) => x.hits)).toEqual(ref.coverage.map((v) => Math.round(v * ref.points.length)));
  });

  it('refuses bad levels, wrong quantile counts and no points; never mutates', () => {
    expect(() => coverageByLevel([], [0.5])).toThrow(/at least one forecast/);
    expect(() => coverageByLevel([{ actual: 1, quantiles: [0, 1] }], [0.5])).toThrow(
      /point 0 has 2 quantiles, expected one per level \(1\)/,
    );
    expect(() => pit([{ actual: 1, quantiles: [0, 1] }], [0.9, 0.1])).toThrow(DataError);
    expect(() => pit([{ actual: Number.NaN, quantiles: [0] }], [0.5])).toThrow(/finite/);
    const points = [{ actual: 1, quantiles: [0, 2] }];
    pit(points, [0.1, 0.9]);
    expect(points).toEqual([{ actual: 1, quantiles: [0, 2] }]);
  });
});
