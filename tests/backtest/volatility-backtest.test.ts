import { describe, expect, it } from 'vitest';
import {
  applyTargetTransform,
  compareModels,
  dieboldMariano,
  forecastAhead,
  readCsv,
  ValidationError,
  walkForward,
} from '../../src/index.js';
import { planFolds } from '../../src/backtest/folds.js';
import { varianceForecasts } from '../../src/models/baselines/variance-baselines.js';

const sp = (await readCsv('fixtures/sp500-2000.csv')).slice(3000, 3800);

describe('walk-forward on volatility and return targets', () => {
  it('rv:5 target: econometric models as exact model specs, refitted on their folds', async () => {
    const options = { targetTransform: 'rv:5', horizon: 5, testSize: 100, refit: 5 } as const;
    const r = await walkForward(sp, 'garch', options);
    expect(r.target).toBe('rv5');
    expect(r.transform).toEqual({ spec: 'rv:5', dropped: 5, periodsPerYear: 252 });
    const t = applyTargetTransform(sp, 'rv:5');
    const plan = planFolds(t.series.length, { horizon: 5, testSize: 100, window: 'expanding', refit: 5 }).folds;
    const expected = varianceForecasts(
      { kind: 'garch', distribution: 'normal' },
      t.series.column('rv5'),
      { returns: t.returns, transform: t.transform, periodsPerYear: 252 },
      plan,
      5,
    ).predicted;
    expect(r.folds.map((f) => f.predicted)).toEqual(expected);
    expect(r.folds.map((f) => f.refit)).toEqual(plan.map((f) => f.refit));
    const naive = await walkForward(sp, 'naive', options);
    const y = t.series.column('rv5');
    naive.folds.forEach((f, i) => expect(f.predicted).toEqual(new Array(5).fill(y[plan[i].origin - 1])));
  });

  it('compares naive, ewma, har and garch with Theil U against naive on the derived target', async () => {
    const c = await compareModels(sp, ['naive', 'ewma', 'har', 'garch'], {
      targetTransform: 'gk:5',
      horizon: 2,
      testSize: 60,
      refit: 'once',
    });
    const naive = c.rows.find((row) => row.model === 'naive')!;
    expect(naive.theilU).toBeCloseTo(1, 12);
    expect(c.rows.map((row) => row.model).sort()).toEqual(['ewma', 'garch', 'har', 'naive']);
    for (const row of c.rows) expect(Number.isFinite(row.metrics.rmse)).toBe(true);
  });

  it('logret target with quantiles: GARCH-t quantiles, probabilistic metrics and VaR backtests', async () => {
    const levels = [0.01, 0.05, 0.5];
    const r = await walkForward(sp, 'garch-t', {
      targetTransform: 'logret',
      quantiles: levels,
      testSize: 200,
      refit: 50,
    });
    expect(r.quantiles!.levels).toEqual(levels);
    expect(r.quantiles!.points).toHaveLength(200);
    expect(r.quantiles!.metrics.count).toBe(200);
    expect(r.risk!.map((x) => x.level)).toEqual([0.01, 0.05]);
    for (const [k, risk] of r.risk!.entries()) {
      const hits = r.quantiles!.points.filter((p) => p.actual < p.quantiles[k]).length;
      expect(risk.exceedances).toBe(hits);
      expect(risk.observations).toBe(200);
      expect(risk.kupiec.pValue).toBeGreaterThanOrEqual(0);
    }
    // Point forecasts of a zero-mean variance model are 0.
    expect(r.points.every((p) => p.predicted === 0)).toBe(true);
  });

  it('quantile LSTM: the same quantiles on one thread and across worker threads', async () => {
    const options = {
      targetTransform: 'logret',
      quantiles: [0.05, 0.5, 0.95],
      testSize: 40,
      step: 1,
      refit: 20,
      forecaster: { lookback: 10, epochs: 2, units: 8, scaler: 'standard', windowNorm: 'none' },
    };
    const serial = await walkForward(sp, 'lstm', { ...options, concurrency: 1 });
    const parallel = await walkForward(sp, 'lstm', { ...options, concurrency: 2 });
    expect(parallel.quantiles!.points).toEqual(serial.quantiles!.points);
    for (const p of serial.quantiles!.points)
      expect(p.quantiles[0] <= p.quantiles[1] && p.quantiles[1] <= p.quantiles[2]).toBe(true);
    serial.points.forEach((p, i) => expect(p.predicted).toBe(serial.quantiles!.points[i].quantiles[1]));
    expect(serial.risk!.map((x) => x.level)).toEqual([0.05]);
  });

  it('explains a variance model without a target transform', async () => {
    await expect(walkForward(sp, 'ewma', { target: 'close', testSize: 10 })).rejects.toThrow(
      /ewma forecasts a volatility or return target: give targetTransform/,
    );
    await expect(walkForward(sp, 'har', { targetTransform: 'logret', testSize: 10 })).rejects.toThrow(
      /har forecasts volatility or variance targets, not returns/,
    );
    await expect(walkForward(sp, 'naive', { targetTransform: 'rv:0', testSize: 10 })).rejects.toThrow(
      /unknown target transform/,
    );
  });
});

describe('horizonMean: the mean of the next H values as the target', () => {
  const options = { targetTransform: 'rv:5', horizon: 5, step: 2, testSize: 120, refit: 10 } as const;

  it('scores one point per origin: the mean of its H actual values against the mean of its H forecasts', async () => {
    const steps = await walkForward(sp, 'ewma', options);
    const mean = await walkForward(sp, 'ewma', { ...options, horizonMean: true });
    expect(mean.horizonMean).toBe(true);
    expect(steps.horizonMean).toBe(false);
    // The model forecasts the same steps; only the scoring differs.
    expect(mean.folds).toEqual(steps.folds);
    const y = applyTargetTransform(sp, 'rv:5').series.column('rv5');
    const avg = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;
    expect(mean.points).toHaveLength(mean.folds.length);
    mean.folds.forEach((f, i) => {
      const p = mean.points[i];
      expect(p.step).toBe(0);
      expect(p.actual).toBeCloseTo(avg(y.slice(f.origin, f.origin + 5)), 12);
      expect(p.predicted).toBeCloseTo(avg(f.predicted), 12);
      expect(p.lastKnown).toBe(y[f.origin - 1]);
      expect(p.timestamp).toBe(steps.points[i * 5 + 4].timestamp);
    });
    const e = mean.points.map((p) => p.actual - p.predicted);
    expect(mean.metrics.rmse).toBeCloseTo(Math.sqrt(avg(e.map((x) => x * x))), 12);
    expect(mean.metrics.count).toBe(mean.folds.length);
    expect(mean.perStep).toEqual([mean.metrics]);
    const q = avg(mean.points.map((p) => (p.actual / p.predicted) ** 2 - Math.log((p.actual / p.predicted) ** 2) - 1));
    expect(mean.metrics.qlike).toBeCloseTo(q, 10);
  });

  it('tests the means against the benchmark with the overlap of H steps, one test', async () => {
    const c = await compareModels(sp, ['naive', 'ewma', 'garch'], { ...options, horizonMean: true });
    const bench = c.results.garch;
    for (const model of ['naive', 'ewma']) {
      const row = c.rows.find((r) => r.model === model)!;
      const e1 = c.results[model].points.map((p) => p.actual - p.predicted);
      const e2 = bench.points.map((p) => p.actual - p.predicted);
      // Origins 2 rows apart, means over 5 rows: each error shares shocks with the next 2 (ceil(5 / 2) - 1).
      const { statistic, pValue } = dieboldMariano(e1, e2, { horizon: 3, power: 2 });
      expect(row.dieboldMariano).toMatchObject({ statistic, pValue, loss: 'mse', benchmark: 'garch' });
      expect(row.dieboldMariano!.perStep).toBeUndefined();
      expect(row.theilU).toBeCloseTo(
        row.metrics.rmse / Math.sqrt(avg2(c.results[model].points.map((p) => p.actual - p.lastKnown))),
        12,
      );
    }
  });

  it('the mean of H equal forecasts is that forecast: naive does not move and its Theil U is exactly 1', async () => {
    const c = await compareModels(sp, ['naive', 'drift'], {
      target: 'close',
      horizon: 5,
      step: 1,
      testSize: 200,
      horizonMean: true,
    });
    const naive = c.rows.find((r) => r.model === 'naive')!;
    expect(Number.isNaN(naive.metrics.directionalAccuracy)).toBe(true);
    expect(naive.theilU).toBe(1);
    for (const p of c.results.naive.points) expect(p.predicted).toBe(p.lastKnown);
  });

  it('refuses quantiles, whose levels a mean of steps does not keep', async () => {
    const o = { targetTransform: 'logret', horizon: 2, testSize: 20, quantiles: [0.05, 0.5], horizonMean: true };
    await expect(walkForward(sp, 'garch', o)).rejects.toThrow(ValidationError);
    await expect(walkForward(sp, 'garch', o)).rejects.toThrow(/horizonMean.*leave out quantiles/);
  });

  it('forecasts ahead the mean of the H step forecasts', async () => {
    const o = { targetTransform: 'rv:5', horizon: 5 };
    const steps = await forecastAhead(sp, 'har', o);
    const mean = await forecastAhead(sp, 'har', { ...o, horizonMean: true });
    expect(mean.values).toEqual(steps.values);
    expect(steps.mean).toBeUndefined();
    expect(mean.mean).toBeCloseTo(steps.values.reduce((a, b) => a + b, 0) / 5, 12);
    expect([mean.horizonMean, steps.horizonMean]).toEqual([true, false]);
  });
});

function avg2(e: number[]): number {
  return e.reduce((a, b) => a + b * b, 0) / e.length;
}
