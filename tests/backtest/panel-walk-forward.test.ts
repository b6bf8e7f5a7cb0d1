import { describe, expect, it } from 'vitest';
import {
  compareModels,
  comparePanelModels,
  Panel,
  readPanelCsv,
  Series,
  ValidationError,
  walkForward,
  walkForwardPanel,
} from '../../src/index.js';
import { syntheticPanel } from '../helpers/panels.js';

const recurrent = {
  forecaster: { lookback: 8, units: 8, epochs: 2, batchSize: 16, seed: 1, engine: 'fused' as const, threads: 1 },
};

/** The same panel with every row at or after `from` replaced by 1e9, in every symbol. */
function poisoned(panel: Panel, from: number): Panel {
  return panel.map((s) => {
    const cols: Record<string, Float64Array> = {};
    for (const c of s.columns) cols[c] = s.column(c).map((v, i) => (s.timestampAt(i) >= from ? 1e9 : v));
    return Series.create({ timestamps: s.timestamps, columns: cols, meta: { ...s.meta } });
  });
}

describe('walkForwardPanel', () => {
  it('origins are dates; each symbol is forecast where it has a row and enough history (vega stocks, naive)', async () => {
    const stocks = await readPanelCsv('fixtures/stocks.csv');
    const r = await walkForwardPanel(stocks, 'naive', { testSize: 12 });
    expect(r.origins).toHaveLength(12);
    expect(new Date(r.origins[0]).toISOString().slice(0, 10)).toBe('2009-04-01');
    expect(Object.keys(r.bySymbol).sort()).toEqual(['AAPL', 'AMZN', 'GOOG', 'IBM', 'MSFT']);
    // The naive forecast is the previous month's price, exactly; Theil's U of naive is 1.
    for (const p of r.points) {
      const y = stocks.get(p.symbol);
      expect(p.predicted).toBe(y.column('price')[y.indexAtOrAfter(p.timestamp) - 1]);
    }
    expect(r.theilU).toBeCloseTo(1, 12);
    expect(r.bySymbol.GOOG.theilU).toBeCloseTo(1, 12);
    expect(r.metrics.count).toBe(r.points.length);
    expect(r.bySymbol.MSFT.metrics.count).toBe(12);
    expect(Number.isFinite(r.metrics.mase)).toBe(true);
  });

  it('pooled metrics are the points of all symbols; per-step metrics per horizon step', async () => {
    const panel = syntheticPanel({ symbols: 4, days: 150, seed: 21, columns: ['close'] });
    const r = await walkForwardPanel(panel, 'drift', { horizon: 3, testSize: 30 });
    expect(r.perStep).toHaveLength(3);
    expect(r.perStep.reduce((a, m) => a + m.count, 0)).toBe(r.points.length);
    expect(Object.values(r.bySymbol).reduce((a, s) => a + s.points.length, 0)).toBe(r.points.length);
  });

  it('a global LSTM per refit: no row at or after an origin reaches training, scaling or the input (poison across symbols)', async () => {
    const panel = syntheticPanel({ symbols: 3, days: 90, seed: 5, columns: ['close'] });
    // Per-symbol scalers (fitted on each training window) are poisoned too in the second setting.
    const scaled = { forecaster: { ...recurrent.forecaster, scaler: 'standard', windowNorm: 'none' } } as const;
    for (const [refit, model] of [
      ['every', recurrent],
      ['once', recurrent],
      ['every', scaled],
    ] as const) {
      const clean = await walkForwardPanel(panel, 'lstm', { ...model, testSize: 6, step: 2, refit });
      expect(clean.fits.length).toBe(refit === 'every' ? 3 : 1);
      for (const fit of clean.fits) expect(fit.lastTrainingTimestamp).toBeLessThan(fit.origin);
      for (const origin of clean.origins) {
        const dirty = await walkForwardPanel(poisoned(panel, origin), 'lstm', {
          ...model,
          testSize: 6,
          step: 2,
          refit,
        });
        const at = (r: typeof clean) =>
          r.points.filter((p) => p.originTimestamp === origin).map((p) => `${p.symbol}:${p.predicted}`);
        expect(at(dirty)).toEqual(at(clean));
        expect(at(clean).length).toBeGreaterThan(0);
        for (const p of clean.points) expect(Number.isFinite(p.predicted)).toBe(true);
      }
    }
  });

  it('sliding windows: the last trainLength rows of each symbol before the origin, per symbol and for a global model', async () => {
    const panel = syntheticPanel({
      symbols: 3,
      days: 120,
      seed: 6,
      columns: ['close'],
      raggedStart: 0,
      delisted: 0,
      gapRate: 0,
    });
    const L = 40;
    /** Every row before t - L of each symbol (t: its row on the origin date) replaced by 1e9. */
    const poisonedFrom = (origin: number) =>
      panel.map((s) => {
        const from = s.indexAtOrAfter(origin) - L;
        return Series.create({
          timestamps: s.timestamps,
          columns: { close: s.column('close').map((v, i) => (i < from ? 1e9 : v)) },
          meta: { ...s.meta },
        });
      });
    const at = (r: Awaited<ReturnType<typeof walkForwardPanel>>, origin: number) =>
      r.points.filter((p) => p.originTimestamp === origin).map((p) => `${p.symbol}:${p.predicted}`);
    for (const [model, extra] of [
      ['mean', {}],
      ['lstm', recurrent],
    ] as const) {
      const o = { ...extra, testSize: 6, step: 3, window: 'sliding', trainLength: L } as const;
      const clean = await walkForwardPanel(panel, model, o);
      for (const origin of clean.origins) {
        expect(at(await walkForwardPanel(poisonedFrom(origin), model, o), origin), `${model} at ${origin}`).toEqual(
          at(clean, origin),
        );
        expect(at(clean, origin)).toHaveLength(3);
      }
      // An expanding window reads those rows: the same poison moves its forecasts.
      const origin = clean.origins[0];
      const expanding = { ...o, window: 'expanding' } as const;
      expect(at(await walkForwardPanel(poisonedFrom(origin), model, expanding), origin)).not.toEqual(
        at(await walkForwardPanel(panel, model, expanding), origin),
      );
    }
    // Per symbol, the same as the single-series sliding backtest of that symbol.
    const mean = await walkForwardPanel(panel, 'mean', { testSize: 6, step: 3, window: 'sliding', trainLength: L });
    for (const symbol of panel.symbols) {
      const single = await walkForward(panel.get(symbol), 'mean', {
        testSize: 6,
        step: 3,
        window: 'sliding',
        trainLength: L,
      });
      expect(mean.bySymbol[symbol].points.map((p) => p.predicted)).toEqual(single.points.map((p) => p.predicted));
    }
    await expect(walkForwardPanel(panel, 'mean', { window: 'sliding' })).rejects.toThrow(
      /trainLength: window 'sliding' needs trainLength/,
    );
  });

  it('a recurrent volatility backtest runs with no option given on a panel whose realized volatility reaches 0', async () => {
    // FLAT's price stands still for 12 days, so its rv:5 is exactly 0 over several windows.
    const panel = syntheticPanel({
      symbols: 3,
      days: 160,
      seed: 9,
      columns: ['close'],
      raggedStart: 0,
      delisted: 0,
      gapRate: 0,
    }).map((s, symbol) => {
      if (symbol !== 'S001') return s;
      const close = s.column('close').map((v, i, all) => (i >= 60 && i < 72 ? all[60] : v));
      return Series.create({ timestamps: s.timestamps, columns: { close }, meta: { ...s.meta } });
    });
    const r = await walkForwardPanel(panel, 'lstm', { targetTransform: 'rv:5', testSize: 5, refit: 'once' });
    expect(r.target).toBe('rv5');
    expect(r.points.filter((p) => p.actual === 0)).toHaveLength(0);
    const rv = r.bySymbol.S001;
    expect(rv.points).toHaveLength(5);
    for (const p of r.points) expect(p.predicted).toBeGreaterThan(0);
    // And on that one series.
    const one = await walkForward(panel.get('S001'), 'lstm', { targetTransform: 'rv:5', testSize: 5, refit: 'once' });
    for (const p of one.points) expect(p.predicted).toBeGreaterThan(0);
  });

  it('walkForward and compareModels take a panel too, with the same results as the panel functions', async () => {
    const stocks = await readPanelCsv('fixtures/stocks.csv');
    const strip = (r: object) => ({ ...r, elapsedMs: 0 });
    expect(strip(await walkForward(stocks, 'drift', { testSize: 12 }))).toEqual(
      strip(await walkForwardPanel(stocks, 'drift', { testSize: 12 })),
    );
    const rows = await compareModels(stocks, ['naive', 'drift'], { testSize: 12 });
    const direct = await comparePanelModels(stocks, ['naive', 'drift'], { testSize: 12 });
    expect(rows.map((r) => [r.rank, r.result.model, r.result.metrics])).toEqual(
      direct.map((r) => [r.rank, r.result.model, r.result.metrics]),
    );
  });

  it('volatility and return targets per symbol: ewma, garch and har equal the single-series backtest of each symbol', async () => {
    const panel = syntheticPanel({
      symbols: 3,
      days: 400,
      seed: 11,
      columns: ['close'],
      raggedStart: 0,
      delisted: 0,
      gapRate: 0,
    });
    for (const [model, transform] of [
      ['ewma', 'rv:5'],
      ['garch', 'rv:5'],
      ['har', 'rv:5'],
      ['garch', 'logret'],
    ] as const) {
      const r = await walkForwardPanel(panel, model, {
        targetTransform: transform,
        testSize: 30,
        horizon: 2,
        step: 2,
        refit: 10,
      });
      expect(r.target).toBe(transform === 'logret' ? 'logret' : 'rv5');
      for (const symbol of panel.symbols) {
        const single = await walkForward(panel.get(symbol), model, {
          targetTransform: transform,
          testSize: 30,
          horizon: 2,
          step: 2,
          refit: 10,
        });
        expect(
          r.bySymbol[symbol].points.map((p) => [p.timestamp, p.actual, p.predicted]),
          `${model} ${transform} ${symbol}`,
        ).toEqual(single.points.map((p) => [p.timestamp, p.actual, p.predicted]));
      }
    }
    // A recurrent global model on log returns reads standardized windows without being told.
    const lstm = await walkForwardPanel(panel, 'lstm', { ...recurrent, targetTransform: 'logret', testSize: 4 });
    for (const p of lstm.points) expect(Number.isFinite(p.predicted)).toBe(true);
    await expect(walkForwardPanel(panel, 'garch', { testSize: 4 })).rejects.toThrow(
      /garch forecasts a volatility or return target: give targetTransform/,
    );
    // A symbol too short for its transform: the DataError names it.
    const short = Panel.create({ A: panel.get('S000'), B: panel.get('S001').slice(0, 3) });
    await expect(walkForwardPanel(short, 'ewma', { targetTransform: 'rv:5', testSize: 4 })).rejects.toThrow(
      /^symbol "B": /,
    );
  });

  it('columns known ahead (a scheduled event): read at the forecast steps, they make the forecast; nothing else leaks', async () => {
    const { createRng } = await import('../../src/util/random.js');
    const { createGlobalForecaster, DataError } = await import('../../src/index.js');
    const rng = createRng(3);
    const days = Array.from({ length: 300 }, (_, i) => Date.UTC(2020, 0, 1) + i * 864e5);
    const symbol = (k: number) => {
      const event = days.map(() => (rng.next() < 0.15 ? 1 : 0));
      return Series.create({
        timestamps: days,
        columns: { close: days.map((_, i) => 100 + 10 * k + 8 * event[i] + rng.next()), event },
      });
    };
    const panel = Panel.create({ A: symbol(0), B: symbol(1), C: symbol(2) });
    const f = {
      lookback: 10,
      units: 16,
      epochs: 40,
      batchSize: 32,
      seed: 1,
      engine: 'fused' as const,
      learningRate: 0.01,
    };
    const blind = await walkForwardPanel(panel, 'lstm', { testSize: 40, refit: 'once', forecaster: f });
    const told = await walkForwardPanel(panel, 'lstm', {
      testSize: 40,
      refit: 'once',
      forecaster: { ...f, knownColumns: ['event'] },
    });
    expect(told.metrics.mae).toBeLessThan(0.5 * blind.metrics.mae);
    // Poison every row at or after an origin except the promised column: the forecast at that origin is unchanged.
    const origin = told.origins[10];
    const dirty = panel.map((s) =>
      Series.create({
        timestamps: s.timestamps,
        columns: {
          close: s.column('close').map((v, i) => (s.timestampAt(i) >= origin ? 1e9 : v)),
          event: s.column('event'),
        },
      }),
    );
    const opts = {
      testSize: 40,
      step: 10,
      refit: 'every' as const,
      forecaster: { ...f, epochs: 3, knownColumns: ['event'] },
    };
    const at = (r: Awaited<ReturnType<typeof walkForwardPanel>>) =>
      r.points.filter((p) => p.originTimestamp === origin).map((p) => p.predicted);
    expect(at(await walkForwardPanel(dirty, 'lstm', opts))).toEqual(at(await walkForwardPanel(panel, 'lstm', opts)));
    // predict() needs the next values of a known column, per symbol.
    const model = await createGlobalForecaster({ ...f, epochs: 1, knownColumns: ['event'] }).fit(panel);
    await expect(model.predict(panel)).rejects.toThrow(DataError);
    await expect(model.predict(panel)).rejects.toThrow(
      /known column "event" of symbol "A" needs its next 1 values in options.known.A.event: received none/,
    );
    const next = await model.predict(panel, { known: { A: { event: [1] }, B: { event: [0] }, C: { event: [0] } } });
    expect(Object.keys(next)).toEqual(['A', 'B', 'C']);
    model.dispose();
  });

  it('quantiles on panels: a global quantile LSTM and GARCH per symbol, probabilistic metrics per symbol and pooled, VaR tests', async () => {
    const panel = syntheticPanel({
      symbols: 3,
      days: 400,
      seed: 11,
      columns: ['close'],
      raggedStart: 0,
      delisted: 0,
      gapRate: 0,
    });
    const levels = [0.05, 0.5, 0.95];
    const garch = await walkForwardPanel(panel, 'garch', {
      targetTransform: 'logret',
      quantiles: levels,
      testSize: 40,
      refit: 20,
    });
    for (const symbol of panel.symbols) {
      // Per symbol, the same quantiles as the single-series backtest of that symbol.
      const single = await walkForward(panel.get(symbol), 'garch', {
        targetTransform: 'logret',
        quantiles: levels,
        testSize: 40,
        refit: 20,
      });
      expect(garch.bySymbol[symbol].quantiles!.points).toEqual(single.quantiles!.points);
      expect(garch.bySymbol[symbol].risk!.map((r) => r.level)).toEqual([0.05]);
    }
    expect(garch.quantiles!.points).toHaveLength(120);
    expect(garch.quantiles!.metrics.count).toBe(120);
    expect(garch.quantiles!.metrics.intervals).toHaveLength(1);
    expect(Number.isFinite(garch.quantiles!.metrics.crps)).toBe(true);
    const lstm = await walkForwardPanel(panel, 'lstm', {
      ...recurrent,
      targetTransform: 'logret',
      quantiles: levels,
      testSize: 6,
      horizon: 2,
      step: 2,
    });
    for (const p of lstm.quantiles!.points) {
      expect(p.quantiles[0]).toBeLessThanOrEqual(p.quantiles[1]);
      expect(p.quantiles[1]).toBeLessThanOrEqual(p.quantiles[2]);
    }
    // The point forecast is the median quantile.
    const first = lstm.bySymbol.S000;
    expect(first.points.map((p) => p.predicted)).toEqual(first.quantiles!.points.map((p) => p.quantiles[1]));
    await expect(walkForwardPanel(panel, 'naive', { quantiles: levels, testSize: 4 })).rejects.toThrow(ValidationError);
  });

  it('comparePanelModels ranks by a pooled metric and refuses duplicate names', async () => {
    const panel = syntheticPanel({ symbols: 3, days: 120, seed: 8, columns: ['close'] });
    const rows = await comparePanelModels(panel, ['naive', 'mean', 'drift'], { testSize: 20, rankBy: 'mase' });
    expect(rows.map((r) => r.rank)).toEqual([1, 2, 3]);
    expect(rows[0].result.metrics.mase).toBeLessThanOrEqual(rows[1].result.metrics.mase);
    expect(rows.at(-1)!.result.model).toBe('mean');
    await expect(comparePanelModels(panel, ['naive', 'naive'])).rejects.toThrow(ValidationError);
  });

  it('too little history anywhere is a clear error', async () => {
    const panel = syntheticPanel({ symbols: 2, days: 40, seed: 2, columns: ['close'] });
    await expect(walkForwardPanel(panel, 'lstm', { forecaster: { lookback: 60 }, testSize: 5 })).rejects.toThrow(
      /no symbol could be forecast at any of the 5 origins: each needs a row on the origin date and 60 rows before it/,
    );
    await expect(walkForwardPanel(panel, 'seasonal:100', { testSize: 5 })).rejects.toThrow(
      /no symbol could be forecast at any of the 5 origins: each needs a row on the origin date and 100 rows before it/,
    );
  });
});
