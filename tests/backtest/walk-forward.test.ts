import { describe, expect, it } from 'vitest';
import { compareModels, DataError, parseModelSpec, Series, ValidationError, walkForward } from '../../src/index.js';
import { rankRows } from '../../src/backtest/compare.js';

const DAY = 86_400_000;
const y = [1, 2, 4, 3, 5, 6, 8, 7, 9, 10];
const s = Series.create({ timestamps: y.map((_, i) => Date.UTC(2024, 0, 1) + i * DAY), columns: { close: y } });

describe('walk-forward semantics, against hand-computed values', () => {
  it('naive, H=1: origins n-testSize.., every metric', async () => {
    const r = await walkForward(s, 'naive', { testSize: 3 });
    expect(r.folds.map((f) => f.origin)).toEqual([7, 8, 9]);
    expect(r.folds.map((f) => f.predicted)).toEqual([[8], [7], [9]]);
    expect(r.metrics.mae).toBeCloseTo(4 / 3, 12);
    expect(r.metrics.rmse).toBeCloseTo(Math.sqrt(2), 12);
    expect(r.metrics.mape).toBeCloseTo((100 * (1 / 7 + 2 / 9 + 1 / 10)) / 3, 12);
    expect(r.metrics.smape).toBeCloseTo((100 * (2 / 15 + 4 / 16 + 2 / 19)) / 3, 12);
    // In-sample naive MAE over y[0..6]: (1+2+1+2+1+2)/6 = 1.5.
    expect(r.metrics.mase).toBeCloseTo(4 / 3 / 1.5, 12);
    expect(r.metrics.directionalAccuracy).toBeNaN(); // naive never moves: direction is undefined, not 0%
    expect(r.metrics.count).toBe(3);
  });

  it('drift with a sliding window, H=2, S=2, per-step metrics', async () => {
    const r = await walkForward(s, 'drift', { horizon: 2, step: 2, start: 5, window: 'sliding', trainLength: 4 });
    expect(r.folds.map((f) => f.origin)).toEqual([5, 7]);
    // Origin 5: window y[1..4] = 2,4,3,5; slope (5-2)/3 = 1 -> 6, 7. Origin 7: y[3..6] = 3,5,6,8; slope 5/3.
    expect(r.folds[0].predicted).toEqual([6, 7]);
    expect(r.folds[1].predicted[0]).toBeCloseTo(8 + 5 / 3, 12);
    expect(r.folds[1].predicted[1]).toBeCloseTo(8 + 10 / 3, 12);
    expect(r.folds[0].trainStart).toBe(s.timestampAt(1));
    expect(r.folds[1].trainStart).toBe(s.timestampAt(3));
    expect(r.perStep[0].mae).toBeCloseTo(4 / 3, 12);
    expect(r.perStep[1].mae).toBeCloseTo((1 + (8 + 10 / 3 - 9)) / 2, 12);
  });

  it('seasonal:m repeats the last season; mean and ma:k average the window', async () => {
    const seasonal = await walkForward(s, 'seasonal:3', { horizon: 4, start: 6 });
    expect(seasonal.folds.map((f) => f.predicted)).toEqual([[3, 5, 6, 3]]);
    const mean = await walkForward(s, 'mean', { start: 8 });
    expect(mean.folds.map((f) => f.predicted)).toEqual([[36 / 8], [5]]);
    const ma = await walkForward(s, 'ma:2', { start: 8 });
    expect(ma.folds.map((f) => f.predicted)).toEqual([[7.5], [8]]);
    expect(ma.metrics.directionalAccuracy).toBe(50);
  });

  it('every fold trains strictly before its first forecast', async () => {
    const r = await walkForward(s, 'drift', { horizon: 3, step: 1, testSize: 5 });
    for (const f of r.folds) expect(f.trainEnd).toBeLessThan(f.originTimestamp);
    expect(r.points.every((p) => p.timestamp >= p.originTimestamp)).toBe(true);
  });

  it('compareModels ranks and reports Theil U against naive', async () => {
    const c = await compareModels(s, ['naive', 'drift', 'ma:2'], { testSize: 3 });
    expect(c.rows.map((r) => r.rank)).toEqual([1, 2, 3]);
    const naive = c.rows.find((r) => r.model === 'naive')!;
    expect(naive.theilU).toBeCloseTo(1, 12);
    expect(Object.keys(c.results).sort()).toEqual(['drift', 'ma:2', 'naive']);
    const rmses = c.rows.map((r) => r.metrics.rmse);
    expect([...rmses].sort((a, b) => a - b)).toEqual(rmses);
  });

  it('explains bad specs, options and short data', async () => {
    expect(() => parseModelSpec('arima')).toThrow(
      'unknown model "arima": expected one of naive, drift, mean, seasonal:M, ma:K, ewma, har, garch, garch-t, rnn, lstm, gru',
    );
    await expect(walkForward(s, 'naive', { window: 'sliding' })).rejects.toThrow(/trainLength/);
    await expect(walkForward(s, 'naive', { refit: 'sometimes' as never })).rejects.toThrow(ValidationError);
    await expect(walkForward(s, 'seasonal:20', { testSize: 3 })).rejects.toThrow(
      'seasonal:20 needs 20 training values before origin 7, the window has 7',
    );
    await expect(walkForward(s, 'naive', { testSize: 10 })).rejects.toThrow(DataError);
    const two = Series.create({ timestamps: [0, 1], columns: { a: [1, 2], b: [3, 4] } });
    await expect(walkForward(two, 'naive')).rejects.toThrow(
      /no target given and no close column: the data has "a", "b"/,
    );
  });
});

describe('baselineForecast', () => {
  it('is a pure function of the window and checks it', async () => {
    const { baselineForecast } = await import('../../src/index.js');
    const values = [1, 2, 4];
    expect(Array.from(baselineForecast({ kind: 'drift' }, values, { trainStart: 0, origin: 3, horizon: 2 }))).toEqual([
      5.5, 7,
    ]);
    expect(values).toEqual([1, 2, 4]);
    expect(() => baselineForecast({ kind: 'naive' }, values, { trainStart: 0, origin: 5, horizon: 1 })).toThrow(
      /0 <= trainStart < origin <= 3/,
    );
    expect(() => baselineForecast({ kind: 'naive' }, values, { trainStart: 2, origin: 2, horizon: 1 })).toThrow(
      /needs at least one training value before origin 2/,
    );
  });
});

describe('compareModels ranking', () => {
  const metrics = (rmse: number, directionalAccuracy: number) =>
    ({ count: 1, mae: 0, rmse, mape: 0, smape: 0, mase: 0, directionalAccuracy }) as Parameters<
      typeof rankRows
    >[0][number]['metrics'];
  it('a metric that is not a number ranks last, in either direction; ties keep their order', () => {
    const rows = [
      { rank: 0, model: 'diverged', metrics: metrics(Number.NaN, Number.NaN) },
      { rank: 0, model: 'b', metrics: metrics(2, 0.4) },
      { rank: 0, model: 'a', metrics: metrics(1, 0.6) },
      { rank: 0, model: 'a2', metrics: metrics(1, 0.6) },
    ];
    expect(rankRows(rows, 'rmse').map((r) => `${r.rank}:${r.model}`)).toEqual(['1:a', '2:a2', '3:b', '4:diverged']);
    expect(rankRows(rows, 'directionalAccuracy').map((r) => `${r.rank}:${r.model}`)).toEqual([
      '1:a',
      '2:a2',
      '3:b',
      '4:diverged',
    ]);
  });

  it('two models with one display name are refused before anything trains', async () => {
    const s = Series.create({
      timestamps: Array.from({ length: 30 }, (_, i) => Date.UTC(2020, 0, 1 + i)),
      columns: { close: Float64Array.from({ length: 30 }, (_, i) => 100 + i) },
    });
    await expect(compareModels(s, ['naive', 'naive'], { testSize: 5 })).rejects.toThrow(ValidationError);
    // An object spec named like a string spec collides too; the error names the model.
    await expect(
      compareModels(s, ['drift', { name: 'drift', baseline: { kind: 'naive' } }], { testSize: 5 }),
    ).rejects.toThrow(/drift/);
  });
});
