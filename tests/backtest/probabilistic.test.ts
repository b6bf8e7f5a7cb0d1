import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  crpsCells,
  crpsFromQuantiles,
  crpsSupport,
  innovationQuantile,
  pinballLoss,
  probabilisticMetrics,
  probabilisticMetricsPerStep,
  type QuantileForecastPoint,
} from '../../src/index.js';
import { createRng } from '../../src/util/random.js';

const ref = JSON.parse(readFileSync('fixtures/risk/scipy-ref.json', 'utf8')).probabilistic as {
  levels: number[];
  actual: number[];
  quantiles: number[][];
  pinball: number[];
  intervals: { lower: number; upper: number; coverage: number; meanWidth: number; winkler: number }[];
};

const crps = JSON.parse(readFileSync('fixtures/risk/crps-ref.json', 'utf8')) as {
  normal: Record<string, { levels: number[]; relativeError: number }>;
  random: { levels: number[]; points: { actual: number; quantiles: number[]; crps: number }[] };
};

describe('probabilistic metrics', () => {
  it('pinball loss by hand', () => {
    expect(pinballLoss(10, 8, 0.9)).toBeCloseTo(1.8, 14);
    expect(pinballLoss(10, 12, 0.9)).toBeCloseTo(0.2, 14);
    expect(pinballLoss(5, 5, 0.3)).toBe(0);
  });

  it('interval coverage, width and Winkler score by hand', () => {
    const points: QuantileForecastPoint[] = [
      { timestamp: 0, step: 0, actual: 12, quantiles: [8, 10, 11] }, // above the interval by 1
      { timestamp: 1, step: 0, actual: 9, quantiles: [8, 9, 12] }, // inside
      { timestamp: 2, step: 0, actual: 5, quantiles: [6, 7, 8] }, // below by 1
    ];
    const m = probabilisticMetrics(points, [0.1, 0.5, 0.9]);
    expect(m.count).toBe(3);
    expect(m.intervals).toHaveLength(1);
    const [iv] = m.intervals;
    expect(iv.lower).toBe(0.1);
    expect(iv.upper).toBe(0.9);
    expect(iv.nominal).toBeCloseTo(0.8, 14);
    expect(iv.coverage).toBeCloseTo(1 / 3, 14);
    expect(iv.meanWidth).toBeCloseTo((3 + 4 + 2) / 3, 14);
    // width + (2 / 0.2) x miss: 3 + 10, 4, 2 + 10
    expect(iv.winkler).toBeCloseTo((13 + 4 + 12) / 3, 12);
    // pinball at 0.5 = 0.5 |e|: (2 + 0 + 2) x 0.5 / 3
    expect(m.pinball[1].loss).toBeCloseTo(2 / 3, 14);
    // The quadrature: cells [0, 0.3], [0.3, 0.7], [0.7, 1], each pinball taken at its cell's centre.
    const byHand = (y: number, q: number[]) =>
      2 * (0.3 * pinballLoss(y, q[0], 0.15) + 0.4 * pinballLoss(y, q[1], 0.5) + 0.3 * pinballLoss(y, q[2], 0.85));
    expect(m.crps).toBeCloseTo(points.reduce((s, p) => s + byHand(p.actual, p.quantiles), 0) / 3, 14);
  });

  it('match numpy on seeded random quantile forecasts', () => {
    const points = ref.actual.map((actual, i) => ({ timestamp: i, step: 0, actual, quantiles: ref.quantiles[i] }));
    const m = probabilisticMetrics(points, ref.levels);
    m.pinball.forEach((p, k) => expect(p.loss).toBeCloseTo(ref.pinball[k], 12));
    // numpy lists the 90 % then the 80 % interval; ours follow the lower level's order.
    expect(m.intervals.map((i) => [i.lower, i.upper])).toEqual([
      [0.05, 0.95],
      [0.1, 0.9],
    ]);
    m.intervals.forEach((iv, k) => {
      expect(iv.coverage).toBeCloseTo(ref.intervals[k].coverage, 12);
      expect(iv.meanWidth).toBeCloseTo(ref.intervals[k].meanWidth, 12);
      expect(iv.winkler).toBeCloseTo(ref.intervals[k].winkler, 10);
    });
  });

  it('CRPS from many quantiles of the forecast distribution approaches the closed form', () => {
    // A point mass forecast at 0, y = 1: CRPS = |y - 0| = 1, exact for any levels (the cells cover [0, 1]).
    const K = 200;
    const levels = Array.from({ length: K }, (_, k) => (k + 0.5) / K);
    expect(
      probabilisticMetrics([{ timestamp: 0, step: 0, actual: 1, quantiles: new Array(K).fill(0) }], levels).crps,
    ).toBeCloseTo(1, 12);
    // Uniform(0, 1) forecast, y = 0.5: CRPS = 1/12.
    const m = probabilisticMetrics([{ timestamp: 0, step: 0, actual: 0.5, quantiles: levels }], levels);
    expect(m.crps).toBeCloseTo(1 / 12, 5);
  });

  it('CRPS matches the integral of (F - 1{x >= y})^2 over the step CDF (scipy)', () => {
    const random = crps.random;
    random.points.forEach((p) =>
      expect(crpsFromQuantiles(p.actual, p.quantiles, random.levels)).toBeCloseTo(p.crps, 9),
    );
    const m = probabilisticMetrics(
      random.points.map((p, i) => ({ timestamp: i, step: 0, actual: p.actual, quantiles: p.quantiles })),
      random.levels,
    );
    expect(m.crps).toBeCloseTo(random.points.reduce((s, p) => s + p.crps, 0) / random.points.length, 9);
    expect(crpsCells([0.05, 0.5, 0.95]).weights.map((w) => Math.round(w * 1e12) / 1e12)).toEqual([0.275, 0.45, 0.275]);
  });

  it('the levels support a CRPS only within 15% of the truth for a calibrated normal (scipy integrals)', () => {
    for (const { levels, relativeError } of Object.values(crps.normal)) {
      const support = crpsSupport(levels);
      expect(support.relativeError).toBeCloseTo(relativeError, 7);
      expect(support.supported).toBe(Math.abs(relativeError) <= 0.15);
    }
    // The cases: the old 2 x mean pinball reported 0.407 and 0.356 for a truth of 0.564.
    expect(crpsSupport([0.05, 0.5, 0.95]).supported).toBe(true);
    expect(crpsSupport([0.01, 0.05, 0.5]).supported).toBe(false);
    expect(Math.abs(crpsSupport(Array.from({ length: 99 }, (_, k) => (k + 1) / 100)).relativeError)).toBeLessThan(0.03);
  });

  it('a calibrated normal scores near 1/sqrt(pi) with supported levels; unsupported levels give no crps key', () => {
    const rng = createRng(7);
    const draws = Array.from(
      { length: 20000 },
      () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next()),
    );
    const score = (levels: number[]) => {
      const z = levels.map((p) => innovationQuantile(p, { distribution: 'normal' }));
      return probabilisticMetrics(
        draws.map((y, i) => ({ timestamp: i, step: 0, actual: y, quantiles: z })),
        levels,
      );
    };
    const truth = 1 / Math.sqrt(Math.PI);
    const even = score(Array.from({ length: 99 }, (_, k) => (k + 1) / 100));
    expect(Math.abs(even.crps! / truth - 1)).toBeLessThan(0.03);
    const three = score([0.05, 0.5, 0.95]);
    expect(Math.abs(three.crps! / truth - 1)).toBeLessThan(0.15);
    const lopsided = score([0.01, 0.05, 0.5]);
    expect('crps' in lopsided).toBe(false);
    expect(JSON.parse(JSON.stringify(lopsided))).not.toHaveProperty('crps');
    // meanPinball is the plain mean over levels, unchanged.
    expect(lopsided.meanPinball).toBeCloseTo(lopsided.pinball.reduce((s, x) => s + x.loss, 0) / 3, 14);
  });

  it('per step, and bad input', () => {
    const pts = [0, 1, 1].map((step, i) => ({ timestamp: i, step, actual: step === 0 ? 0 : 5 + i, quantiles: [0, 1] }));
    const per = probabilisticMetricsPerStep(pts, { levels: [0.1, 0.9], horizon: 2 });
    expect(per.map((m) => [m.count, m.intervals[0].coverage])).toEqual([
      [1, 1],
      [2, 0],
    ]);
    expect(() => probabilisticMetrics(pts, [0.9, 0.1])).toThrow(/levels must increase/);
    expect(() => probabilisticMetrics(pts, [0, 0.5])).toThrow(/level 0 must be in \(0, 1\)/);
    expect(() => probabilisticMetrics(pts, [0.1, 0.5, 0.9])).toThrow(
      /point 0 has 2 quantiles, expected one per level \(3\)/,
    );
  });
});
