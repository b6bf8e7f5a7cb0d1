import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  compareModels,
  listModels,
  readCsv,
  readPanelCsv,
  registerModel,
  resolveModel,
  unregisterModel,
  ValidationError,
  walkForward,
  type ModelDefinition,
  type Panel,
  type Series,
} from '../../src/index.js';
import { liveJobThreads } from '../../src/jobs/pool.js';

let sp: Series;
let stocks: Panel;
beforeAll(async () => {
  sp = (await readCsv('fixtures/sp500-2000.csv')).select(['close']).slice(-300);
  stocks = await readPanelCsv('fixtures/stocks.csv');
});
afterEach(() => {
  for (const name of ['greedy', 'last-value', 'seasonal-drift', 'bad'])
    if (listModels().some((m) => m.name === name && !m.builtin)) unregisterModel(name);
});

/** A model that reads every value it is handed, at every origin: any row after an origin would show in its forecast. */
const greedy: ModelDefinition = {
  description: 'the largest value it was given',
  series: (_o, task) => ({
    forecast: (data, folds) => ({
      values: folds.map(() => new Array(task.horizon).fill(Math.max(...data.columnRef(task.target)))),
    }),
  }),
};

describe('the model registry', () => {
  it('lists the built-in models first, with their parameters, and the ones users add after them', () => {
    const names = listModels().map((m) => m.name);
    expect(names.slice(0, 12)).toEqual([
      'naive',
      'drift',
      'mean',
      'seasonal',
      'ma',
      'ewma',
      'har',
      'garch',
      'garch-t',
      'rnn',
      'lstm',
      'gru',
    ]);
    expect(listModels().find((m) => m.name === 'seasonal')).toMatchObject({
      parameter: 'm',
      builtin: true,
      learned: false,
    });
    expect(listModels().find((m) => m.name === 'gru')).toMatchObject({ learned: true, builtin: true });
    registerModel('greedy', greedy);
    expect(listModels().at(-1)).toMatchObject({
      name: 'greedy',
      builtin: false,
      description: 'the largest value it was given',
    });
  });

  it('refuses bad names, taken names and definitions without description or series, saying what was expected', () => {
    expect(() => registerModel('Bad Name', greedy)).toThrow(
      /expected lower-case letters, digits and dashes starting with a letter: received "Bad Name"/,
    );
    expect(() => registerModel('naive', greedy)).toThrow(/"naive" is already registered \(a built-in model\)/);
    expect(() => registerModel('bad', { series: greedy.series } as never)).toThrow(/expected a description/);
    expect(() => registerModel('bad', { description: 'x' } as never)).toThrow(/expected series\(options, task, env\)/);
    registerModel('greedy', greedy);
    registerModel('greedy', greedy); // the same registration again is one
    expect(() => registerModel('greedy', { ...greedy })).toThrow(/"greedy" is already registered: choose another name/);
    expect(() => unregisterModel('lstm')).toThrow(ValidationError);
  });

  it('resolves specs with parameters and checks them against the model', async () => {
    expect((await resolveModel('seasonal:5')).options).toEqual({ m: 5 });
    expect((await resolveModel({ model: 'ma', options: { k: 3 } })).options).toEqual({ k: 3 });
    await expect(resolveModel('seasonal')).rejects.toThrow(/"seasonal" needs its parameter: seasonal:M/);
    await expect(resolveModel('seasonal:0')).rejects.toThrow(/options of model "seasonal:0": m/);
    await expect(resolveModel('naive:3')).rejects.toThrow(/"naive" takes no parameter/);
    await expect(resolveModel('nope')).rejects.toThrow(
      /unknown model "nope": expected one of naive, drift, mean, seasonal:M, ma:K, ewma/,
    );
    await expect(resolveModel({ model: 'gru', options: { cell: 'lstm' } })).rejects.toThrow(
      /the spec "gru" sets cell gru/,
    );
    await expect(resolveModel('naive+har')).rejects.toThrow(/naive does not sit on a base model/);
  });
});

describe("a user's model in backtests", () => {
  it('runs in walkForward and compareModels with the built-ins, and its metrics equal a direct computation', async () => {
    registerModel('last-value', {
      description: 'the last value, written by a user',
      series: (_o, task) => ({
        forecast: (data, folds) => ({
          values: folds.map((f) => new Array(task.horizon).fill(data.columnRef(task.target)[f.origin - 1])),
        }),
      }),
    });
    const { rows, results } = await compareModels(sp, ['naive', 'last-value', 'drift'], { horizon: 3, testSize: 60 });
    expect(results['last-value'].metrics).toEqual(results.naive.metrics);
    expect(rows.map((r) => r.model)).toContain('last-value');
    // Directly: the mean absolute error of the last value at every point.
    const y = sp.columnRef('close');
    const errors = results['last-value'].points.map((p) =>
      Math.abs(p.actual - y[sp.indexAtOrAfter(p.originTimestamp) - 1]),
    );
    expect(results['last-value'].metrics.mae).toBeCloseTo(errors.reduce((a, b) => a + b, 0) / errors.length, 12);
  });

  it('never sees a row at or after its origin, whatever it reads: the 1e9 poison changes nothing', async () => {
    registerModel('greedy', greedy);
    const options = { horizon: 2, testSize: 40 } as const;
    const clean = await walkForward(sp, 'greedy', options);
    // Poison every row from one origin on: that origin and every earlier one must forecast exactly as before.
    for (const k of [0, 7, 19]) {
      const t = clean.folds[k].origin;
      const poisoned = sp.withColumn(
        'close',
        sp.columnRef('close').map((v, i) => (i >= t ? 1e9 : v)),
      );
      const dirty = await walkForward(poisoned, 'greedy', options);
      expect(
        dirty.folds.slice(0, k + 1).map((f) => f.predicted),
        `origin ${k}`,
      ).toEqual(clean.folds.slice(0, k + 1).map((f) => f.predicted));
      expect(dirty.folds[k].predicted.every((v) => v < 1e9)).toBe(true);
    }
  });

  it('runs per symbol on a panel, with the same leakage rule', async () => {
    registerModel('greedy', greedy);
    registerModel('last-value', {
      description: 'the last value',
      series: (_o, task) => ({
        forecast: (data, folds) => ({
          values: folds.map((f) => new Array(task.horizon).fill(data.columnRef(task.target)[f.origin - 1])),
        }),
      }),
    });
    const rows = await compareModels(stocks, ['naive', 'last-value', 'greedy'], { testSize: 12 });
    const byName = Object.fromEntries(rows.map((r) => [r.result.model, r.result]));
    expect(byName['last-value'].metrics).toEqual(byName.naive.metrics);
    const clean = byName.greedy.points;
    for (const origin of [byName.greedy.origins[0], byName.greedy.origins[6]]) {
      const poisoned = stocks.map((s) =>
        s.withColumn(
          'price',
          s.columnRef('price').map((v, i) => (s.timestampAt(i) >= origin ? 1e9 : v)),
        ),
      );
      const dirty = (await compareModels(poisoned, ['greedy'], { testSize: 12 }))[0].result.points.filter(
        (p) => p.originTimestamp <= origin,
      );
      expect(dirty.map((p) => p.predicted)).toEqual(
        clean.filter((p) => p.originTimestamp <= origin).map((p) => p.predicted),
      );
      expect(dirty.every((p) => p.predicted < 1e9)).toBe(true);
    }
  });

  it('a learned model registered by module runs its fits on worker threads, with the numbers of this thread', async () => {
    await import('../helpers/models/seasonal-drift.js');
    const counter = globalThis as { seasonalDriftFits?: number };
    counter.seasonalDriftFits = 0;
    const options = { horizon: 2, testSize: 20, step: 2 } as const;
    const inline = await walkForward(sp, 'seasonal-drift:5', { ...options, concurrency: 1 });
    expect(counter.seasonalDriftFits).toBe(10);
    const parallel = await walkForward(sp, 'seasonal-drift:5', { ...options, concurrency: 2 });
    // The 10 fits of the parallel run happened in worker threads, none here.
    expect(counter.seasonalDriftFits).toBe(10);
    expect(parallel.folds.map((f) => f.predicted)).toEqual(inline.folds.map((f) => f.predicted));
    expect(liveJobThreads()).toBe(0);
  });

  it('a learned model registered by its definition runs on the calling thread, even when folds could run in parallel', async () => {
    let fits = 0;
    registerModel('last-value', {
      description: 'the last value, counting its fits',
      learned: true,
      series: (_o, task) => ({
        fit: () => void fits++,
        forecast: (data, folds) => ({
          values: folds.map((f) => new Array(task.horizon).fill(data.columnRef(task.target)[f.origin - 1])),
        }),
      }),
    });
    const r = await walkForward(sp, 'last-value', { testSize: 6, concurrency: 2 });
    expect(fits).toBe(6);
    expect(r.folds).toHaveLength(6);
    await expect(
      walkForward(sp, 'last-value', { testSize: 6, queue: { connection: 'redis://127.0.0.1:1' } }),
    ).rejects.toThrow(/model "last-value" is registered in this process only: register it by module/);
  });
});
