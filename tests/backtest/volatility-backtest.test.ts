import { describe, expect, it } from 'vitest';
import { applyTargetTransform, compareModels, readCsv, walkForward } from '../../src/index.js';
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
