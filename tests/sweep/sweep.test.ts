import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DataError,
  dieboldMariano,
  readCsv,
  simulateStrategy,
  readPanelCsv,
  registerModel,
  renderReport,
  Series,
  sweep,
  sweepReport,
  unregisterModel,
  ValidationError,
  walkForward,
  type SweepOptions,
  type SweepProgress,
  type SweepResult,
} from '../../src/index.js';

const sp = (await readCsv('fixtures/sp500-2000.csv')).select(['close']).slice(-360);
const options: SweepOptions = {
  space: { units: [3, 4], lookback: { min: 5, max: 14 }, learningRate: { min: 1e-3, max: 3e-2, scale: 'log' } },
  trials: 5,
  testSize: 30,
  validationSize: 40,
  folds: 2,
  forecaster: { epochs: 3 },
  seed: 3,
  concurrency: 1,
};
/** Everything but the times, which vary from run to run. */
const strip = (r: SweepResult) =>
  JSON.stringify({
    trials: r.trials.map(({ timeMs: _, ...t }) => t),
    best: { ...r.best, backtest: r.best.backtest!.points },
    spans: r.spans,
    rungs: r.rungs,
  });

describe('sweep', () => {
  it('same seed, same trials and results: in this thread and on worker threads; progress reaches every trial', async () => {
    const seen: SweepProgress[] = [];
    const serial = await sweep(sp, 'lstm', { ...options, onProgress: (p) => seen.push(p) });
    const threads = await sweep(sp, 'lstm', { ...options, concurrency: 2 });
    expect(strip(threads)).toBe(strip(serial));
    // The model may also be given inside the options.
    expect(strip(await sweep(sp, { model: 'lstm', ...options, concurrency: 2 }))).toBe(strip(serial));
    expect(serial.trials).toHaveLength(5);
    expect(
      serial.trials.every((t) => t.status === 'complete' && Number.isFinite(t.objective) && t.metrics!.count === 40),
    ).toBe(true);
    expect(serial.trials.map((t) => t.objective)).toEqual(serial.trials.map((t) => t.metrics!.rmse));
    // The best has the lowest validation RMSE (ties: the earlier trial).
    const lowest = Math.min(...serial.trials.map((t) => t.objective));
    expect(serial.best.index).toBe(serial.trials.findIndex((t) => t.objective === lowest));
    expect(serial.best.validation).toEqual(serial.trials[serial.best.index].metrics);
    expect(serial.best.test.count).toBe(30);
    expect(serial.best.backtest!.points).toHaveLength(30);
    expect(seen.filter((p) => p.phase === 'validation').at(-1)!.jobs).toMatchObject({ total: 10, done: 10, failed: 0 });
    expect(seen.at(-1)).toMatchObject({
      phase: 'test',
      trials: { total: 5, done: 5, failed: 0 },
      jobs: { total: 2, done: 2 },
    });
  });

  it('validation folds end before the test span, and each fold trains only on rows before its origin', async () => {
    const r = await sweep(sp, 'gru', { ...options, trials: 1 });
    expect(r.spans.validation.lastOrigin).toBeLessThan(r.spans.test.firstOrigin);
    expect(r.spans.test.firstOrigin).toBe(sp.timestampAt(sp.length - 30));
    expect(r.spans.validation.firstOrigin).toBe(sp.timestampAt(sp.length - 70));
    expect(r.spans).toMatchObject({ validation: { origins: 40, folds: 2 }, test: { origins: 30, folds: 2 } });
    for (const f of r.best.backtest!.folds) expect(f.trainEnd).toBeLessThan(f.originTimestamp);
  });

  it('a poisoned test span (1e9) changes the test score and nothing the search saw: the same choice', async () => {
    const close = sp.column('close');
    for (let i = sp.length - 30; i < sp.length; i++) close[i] = 1e9;
    const poisoned = Series.create({ timestamps: sp.timestamps, columns: { close } });
    const [clean, dirty] = [await sweep(sp, 'lstm', options), await sweep(poisoned, 'lstm', options)];
    expect(dirty.best.params).toEqual(clean.best.params);
    expect(JSON.stringify(dirty.trials.map(({ timeMs: _, ...t }) => t))).toBe(
      JSON.stringify(clean.trials.map(({ timeMs: _, ...t }) => t)),
    );
    expect(dirty.best.validation).toEqual(clean.best.validation);
    expect(dirty.best.test.rmse).toBeGreaterThan(1e8);
    expect(clean.best.test.rmse).toBeLessThan(1000);
  });

  it('successive halving: rungs with more epochs for fewer configurations; pruned trials keep their metrics; deterministic', async () => {
    const halving = { ...options, search: 'halving' as const, trials: 9, forecaster: { epochs: 9 } };
    const r = await sweep(sp, 'lstm', halving);
    expect(r.rungs).toEqual([
      { configurations: 9, epochs: 1 },
      { configurations: 3, epochs: 3 },
      { configurations: 1, epochs: 9 },
    ]);
    expect(r.trials.filter((t) => t.status === 'complete')).toHaveLength(1);
    expect(r.trials.filter((t) => t.status === 'pruned')).toHaveLength(8);
    expect(r.trials.map((t) => t.rung).sort()).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 2]);
    expect(r.trials.every((t) => t.epochs === [1, 3, 9][t.rung!] && t.metrics !== null)).toBe(true);
    expect(r.best.index).toBe(r.trials.find((t) => t.status === 'complete')!.index);
    expect(strip(await sweep(sp, 'lstm', halving))).toBe(strip(r));
  });

  it('a grid tries every combination; directional accuracy is maximized', async () => {
    const r = await sweep(sp, 'lstm', {
      ...options,
      search: 'grid',
      space: { units: [3, 4], lookback: [5, 9] },
      objective: 'directionalAccuracy',
    });
    expect(r.trials.map((t) => t.params)).toEqual([
      { units: 3, lookback: 5 },
      { units: 3, lookback: 9 },
      { units: 4, lookback: 5 },
      { units: 4, lookback: 9 },
    ]);
    expect(r.best.validation.directionalAccuracy).toBe(Math.max(...r.trials.map((t) => t.objective)));
  });

  it('a failing trial is reported with its reason and the sweep chooses among the others; all failing is a DataError', async () => {
    const r = await sweep(sp, 'lstm', { ...options, search: 'grid', space: { lookback: [5, 320] } });
    expect(r.trials[1]).toMatchObject({
      status: 'failed',
      metrics: null,
      error: expect.stringMatching(/lookback 320 \+ horizon 1 needs 321 training rows/),
    });
    expect(r.best.params).toEqual({ lookback: 5 });
    await expect(sweep(sp, 'lstm', { ...options, search: 'grid', space: { lookback: [320, 330] } })).rejects.toThrow(
      DataError,
    );
    await expect(sweep(sp, 'lstm', { ...options, search: 'grid', space: { lookback: [320, 330] } })).rejects.toThrow(
      /every one of the 2 trials failed; the first: .*needs 321 training rows/,
    );
  });

  it('refuses what cannot be swept, before training anything', async () => {
    await expect(sweep(sp, 'naive', options)).rejects.toThrow(/a sweep tunes a model with options/);
    await expect(sweep(sp, 'lstm', { ...options, search: 'halving', space: { epochs: [1, 2] } })).rejects.toThrow(
      /halving gives out the epochs itself/,
    );
    await expect(sweep(sp, 'lstm', { ...options, space: { hidden: [1] } as never })).rejects.toThrow(ValidationError);
    await expect(sweep(sp, 'lstm', { ...options, forecaster: { hiddenSize: 3 } })).rejects.toThrow(
      /options of model "lstm"/,
    );
    await expect(sweep(sp, 'lstm', { ...options, testSize: 200, validationSize: 200 })).rejects.toThrow(
      /testSize 200 \+ validationSize 200 leave no rows to train on/,
    );
  });

  it('the report: findings in words, the per-option chart, the test backtest, the trial table', async () => {
    const r = await sweep(sp, 'lstm', { ...options, trials: 3 });
    const content = await sweepReport(r, { options: { trials: 3 } });
    expect(content.findings![0]).toMatch(
      /^Best of 3 trials \(random search, validation rmse on 40 origins in 2 folds before the test span\): trial \d, units \d, lookback \d+, learning-rate [\d.e-]+\.$/,
    );
    expect(content.findings![1]).toMatch(
      /Theil's U \d\.\d{3}: it (beats|loses to|ties) the naive forecast \(the last value\) \(Diebold-Mariano p-value [\d.e-]+ on squared error\)\.$/,
    );
    expect(content.findings![1]).toContain(` it ${r.best.verdict} the naive`);
    expect(content.findings!.some((f) => /Deflated Sharpe ratio \d\.\d\d/.test(f))).toBe(true);
    expect(content.findings!.some((f) => /percentile [\d.]+ of 1000 random signals/.test(f))).toBe(true);
    // The per-option chart, the strategy's equity and its Sharpe ratio among random signals, the test backtest.
    expect(content.charts).toHaveLength(4);
    expect(content.tables.at(-1)!.title).toBe(
      'Strategy on the test span (long-flat, 5 bps; DSR over 3 trials; not advice)',
    );
    for (const svg of content.charts) expect(svg).toMatch(/^<svg/);
    expect(content.charts[0]).toContain('learning-rate');
    expect(content.tables[0].columns).toEqual([
      'trial',
      'units',
      'lookback',
      'learning-rate',
      'status',
      'rmse',
      'epochs',
      'time s',
    ]);
    expect(content.tables[0].rows).toHaveLength(3);
    expect(content.tables[0].rows[0][0]).toBe(r.best.index);
    expect(renderReport(content)).toMatch(/Sweep: lstm on close/);
  });
});

describe('sweeps tell skill from luck', () => {
  it("the verdict against naive comes from a Diebold-Mariano test on the test span, never from Theil's U alone", async () => {
    const r = await sweep(sp, 'lstm', { ...options, trials: 3 });
    const e = (f: (p: { actual: number; predicted: number; lastKnown: number }) => number) =>
      r.best.backtest!.points.map(f);
    const t = dieboldMariano(
      e((p) => p.actual - p.predicted),
      e((p) => p.actual - p.lastKnown),
    );
    expect(r.best.dieboldMariano.statistic).toBeCloseTo(t.statistic, 12);
    expect(r.best.verdict).toBe(t.pValue < 0.05 ? (t.statistic < 0 ? 'beats' : 'loses to') : 'ties');
  });

  it("at horizon 1 the chosen trial's deflated Sharpe ratio allows for every trial's validation strategy", async () => {
    const r = await sweep(sp, 'lstm', { ...options, trials: 4 });
    const sharpes = r.trials.map((t) => t.sharpe!);
    expect(sharpes.every(Number.isFinite)).toBe(true);
    const mean = sharpes.reduce((a, b) => a + b, 0) / 4;
    const trialSharpeVariance = sharpes.reduce((a, b) => a + (b - mean) ** 2, 0) / 3;
    const direct = simulateStrategy(r.best.backtest!, 'daily', { trials: 4, trialSharpeVariance });
    expect(r.best.strategy!.strategy.deflatedSharpe).toBeCloseTo(direct.strategy.deflatedSharpe!, 12);
    expect(r.best.strategy!.strategy.randomSignals!.count).toBe(1000);
    expect(r.best.strategyNote).toBeUndefined();
  });

  it('where no strategy can be simulated there is no deflated Sharpe ratio, and the result says why', async () => {
    const r = await sweep(sp, 'lstm', { ...options, trials: 2, horizon: 2 });
    expect(r.best.strategy).toBeUndefined();
    expect(r.trials.every((t) => t.sharpe === undefined)).toBe(true);
    expect(r.best.strategyNote).toBe(
      'no strategy simulation: strategies trade one-step forecasts at every row (the sweep has horizon 2, step 2)',
    );
    expect(r.best.dieboldMariano.perStep).toHaveLength(2);
    const content = await sweepReport(r, {});
    expect(content.findings).toContain(
      'No strategy simulation: strategies trade one-step forecasts at every row (the sweep has horizon 2, step 2).',
    );
  });
});

describe('sweep over any model with options', () => {
  it("a built-in baseline's parameter: the grid's choice equals the best of the direct backtests on the validation span", async () => {
    const r = await sweep(sp, 'ma:5', {
      space: { k: [2, 5, 10, 20] },
      search: 'grid',
      testSize: 30,
      validationSize: 40,
      folds: 2,
      concurrency: 1,
    });
    expect(r.trials.map((t) => t.params.k)).toEqual([2, 5, 10, 20]);
    // Each trial's validation RMSE equals walkForward of ma:k over the same 40 rows before the test span.
    const head = sp.slice(0, sp.length - 30);
    for (const t of r.trials) {
      const direct = await walkForward(head, `ma:${t.params.k}`, { testSize: 40 });
      expect(t.metrics!.rmse).toBeCloseTo(direct.metrics.rmse, 10);
    }
    expect(r.best.index).toBe(r.trials.reduce((b, t, i) => (t.objective < r.trials[b].objective ? i : b), 0));
    await expect(sweep(sp, 'ma:5', { space: { k: [0] }, search: 'grid', testSize: 30 })).rejects.toThrow(
      /space\.k: expected a value ma's k accepts, received 0/,
    );
    await expect(sweep(sp, 'ma:5', { space: { units: [4] }, search: 'grid', testSize: 30 })).rejects.toThrow(
      /space\.units: not an option a sweep can vary; expected one of k/,
    );
    await expect(sweep(sp, 'naive', { space: { k: [1] }, testSize: 30 })).rejects.toThrow(/"naive" has none to search/);
    await expect(sweep(sp, 'ma:5', { space: { k: [2, 3] }, search: 'halving', testSize: 30 })).rejects.toThrow(
      /successive halving gives out epochs, which ma does not train/,
    );
  });

  it("a user's registered model, by its schema, in this thread and on worker threads (registered by module)", async () => {
    await import('../helpers/models/seasonal-drift.js');
    const o = { space: { m: [2, 5, 10] }, search: 'grid', testSize: 30, validationSize: 40, folds: 2 } as const;
    const serial = await sweep(sp, 'seasonal-drift', { ...o, concurrency: 1 });
    const threads = await sweep(sp, 'seasonal-drift', { ...o, concurrency: 2 });
    expect(threads.trials.map((t) => t.objective)).toEqual(serial.trials.map((t) => t.objective));
    expect(serial.trials.map((t) => t.params.m)).toEqual([2, 5, 10]);
    registerModel('weekly-mean', {
      description: 'the mean of the last k rows',
      options: z.object({ k: z.number().int().min(1).default(5) }).strict(),
      series: (opts, task) => ({
        forecast: (data, folds) => ({
          values: folds.map((f) => {
            const y = data.columnRef(task.target).subarray(f.origin - opts.k, f.origin);
            return new Array(task.horizon).fill(y.reduce((a, b) => a + b, 0) / opts.k);
          }),
        }),
      }),
    });
    try {
      const r = await sweep(sp, 'weekly-mean', {
        space: { k: [3, 6] },
        search: 'grid',
        testSize: 30,
        validationSize: 40,
        folds: 2,
        concurrency: 1,
      });
      const m = await sweep(sp, 'ma:1', {
        space: { k: [3, 6] },
        search: 'grid',
        testSize: 30,
        validationSize: 40,
        folds: 2,
        concurrency: 1,
      });
      expect(r.trials.map((t) => t.objective)).toEqual(m.trials.map((t) => t.objective));
      // Registered by its definition, it exists in this thread only: the sweep runs it here whatever the concurrency.
      const parallel = await sweep(sp, 'weekly-mean', {
        space: { k: [3, 6] },
        search: 'grid',
        testSize: 30,
        validationSize: 40,
        folds: 2,
        concurrency: 2,
      });
      expect(parallel.trials.map((t) => t.objective)).toEqual(r.trials.map((t) => t.objective));
    } finally {
      unregisterModel('weekly-mean');
    }
  });
});

describe('sweep over a panel', () => {
  it('one model per symbol and fold, each on its own spans; metrics pool every symbol; the same on threads', async () => {
    const stocks = (await readPanelCsv('fixtures/stocks.csv')).select(['MSFT', 'IBM']);
    const o: SweepOptions = {
      space: { units: [2, 3] },
      search: 'grid',
      testSize: 12,
      validationSize: 12,
      folds: 1,
      forecaster: { epochs: 2, lookback: 6 },
      concurrency: 1,
    };
    const r = await sweep(stocks, 'lstm', o);
    expect(r.target).toBe('price');
    expect(r.trials.map((t) => t.metrics!.count)).toEqual([24, 24]);
    expect(Object.keys(r.best.bySymbol!)).toEqual(['MSFT', 'IBM']);
    expect(r.best.backtest).toBeUndefined();
    for (const s of ['MSFT', 'IBM']) {
      const b = r.best.bySymbol![s];
      expect(b.points).toHaveLength(12);
      expect(b.folds[0].originTimestamp).toBe(stocks.get(s).timestampAt(stocks.get(s).length - 12));
    }
    expect(r.best.test.count).toBe(24);
    // Pooled: the RMSE over both symbols' points.
    const all = Object.values(r.best.bySymbol!).flatMap((b) => b.points);
    expect(r.best.test.rmse).toBeCloseTo(
      Math.sqrt(all.reduce((a, p) => a + (p.actual - p.predicted) ** 2, 0) / all.length),
      10,
    );
    expect(r.spans.validation).toMatchObject({ origins: 24, folds: 1 });
    const threads = await sweep(stocks, 'lstm', { ...o, concurrency: 2 });
    expect(JSON.stringify(threads.trials.map(({ timeMs: _, ...t }) => t))).toBe(
      JSON.stringify(r.trials.map(({ timeMs: _, ...t }) => t)),
    );
    const report = await sweepReport(r, {});
    expect(report.charts).toHaveLength(3);
    expect(r.best.strategyNote).toMatch(/a panel sweep fits every symbol apart/);
    expect(report.findings!.at(-1)).toMatch(/^No strategy simulation: a panel sweep/);
  });

  it('a symbol too short for the spans is named', async () => {
    const stocks = await readPanelCsv('fixtures/stocks.csv');
    await expect(
      sweep(stocks, 'lstm', { space: { units: [2] }, testSize: 40, validationSize: 40, forecaster: { epochs: 1 } }),
    ).rejects.toThrow(/^GOOG: testSize 40 \+ validationSize 40 leave no rows to train on: the series has 68/);
  });
});
