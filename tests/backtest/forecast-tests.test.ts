import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dieboldMariano } from '../../src/index.js';
import { dieboldMarianoAgainst, pointLoss } from '../../src/backtest/forecast-tests.js';
import type { ForecastPoint } from '../../src/backtest/metrics.js';

// R's forecast::dm.test on the QLIKE losses of two volatility forecasts (scripts/qlike_dm_ref.R).
const ref = JSON.parse(readFileSync('fixtures/stats/qlike-dm-ref.json', 'utf8')) as {
  actual: number[];
  a: number[];
  b: number[];
  qlikeA: number[];
  qlikeB: number[];
  cases: Array<{ h: number; statistic: number; pValue: number }>;
  squared: { statistic: number; pValue: number };
};

const day = 86_400_000;
/** Points of one forecast step, origins one row apart: the step-k forecast made at row t - k. */
const points = (predicted: number[], step: number): ForecastPoint[] =>
  ref.actual.map((actual, t) => ({
    timestamp: t * day,
    step,
    actual,
    predicted: predicted[t],
    lastKnown: ref.actual[Math.max(0, t - 1)],
    originTimestamp: (t - step) * day,
  }));

describe('Diebold-Mariano tests of compared models', () => {
  it("QLIKE of a volatility point is R's s2/h - ln(s2/h) - 1 with both squared; NaN when a value is not positive", () => {
    points(ref.a, 0).forEach((p, i) => expect(pointLoss(p, 'qlike', 'volatility')).toBeCloseTo(ref.qlikeA[i], 12));
    const p = { ...points(ref.a, 0)[0], predicted: 0 };
    expect(pointLoss(p, 'qlike', 'volatility')).toBeNaN();
  });

  it('the QLIKE test equals R on the QLIKE losses, at horizon 1 and at step 2 of forecasts one row apart', () => {
    const setup = { benchmark: 'b', loss: 'qlike' as const, kind: 'volatility' as const, horizon: 1, spacing: 1 };
    const one = dieboldMarianoAgainst(points(ref.a, 0), points(ref.b, 0), setup);
    expect(one.statistic).toBeCloseTo(ref.cases[0].statistic, 10);
    expect(one.pValue).toBeCloseTo(ref.cases[0].pValue, 10);
    expect(one.perStep).toBeUndefined();
    // Step 2 (0-based 1) from origins one row apart overlaps one future value: R's h = 2.
    const two = dieboldMarianoAgainst(points(ref.a, 1), points(ref.b, 1), { ...setup, horizon: 2 });
    expect(two.statistic).toBeCloseTo(ref.cases[1].statistic, 10);
    expect(two.pValue).toBeCloseTo(ref.cases[1].pValue, 10);
    expect(two.perStep).toHaveLength(2);
    expect(two.perStep![0].observations).toBe(0); // no step-0 points: that step's test is not run, and says why
    expect(two.perStep![0].pValue).toBeNaN();
    // Origins two rows apart (a backtest's default step = horizon): step 2 forecasts share no value, h = 1.
    const apart = dieboldMarianoAgainst(points(ref.a, 1), points(ref.b, 1), { ...setup, horizon: 2, spacing: 2 });
    const h1 = dieboldMarianoAgainst(points(ref.a, 0), points(ref.b, 0), setup);
    expect(apart.statistic).toBeCloseTo(h1.statistic, 12);
  });

  it("squared error is R's dm.test(e1, e2, power = 2); the test runs on the points both models forecast", () => {
    const setup = { benchmark: 'b', loss: 'mse' as const, kind: 'volatility' as const, horizon: 1, spacing: 1 };
    const t = dieboldMarianoAgainst(points(ref.a, 0), points(ref.b, 0), setup);
    expect(t.statistic).toBeCloseTo(ref.squared.statistic, 10);
    expect(t.pValue).toBeCloseTo(ref.squared.pValue, 10);
    // The benchmark missed the first 10 points: both are compared on the other 110.
    const partial = dieboldMarianoAgainst(points(ref.a, 0), points(ref.b, 0).slice(10), setup);
    const e = (f: number[]) => ref.actual.slice(10).map((y, i) => y - f[i + 10]);
    expect(partial.statistic).toBeCloseTo(dieboldMariano(e(ref.a), e(ref.b)).statistic, 12);
    // Equal forecasts: no test, a NaN and the reason, never a verdict.
    const same = dieboldMarianoAgainst(points(ref.a, 0), points(ref.a, 0), setup);
    expect(same.pValue).toBeNaN();
    expect(same.note).toMatch(/do not vary/);
  });
});
