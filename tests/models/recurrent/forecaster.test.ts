import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createForecaster,
  DataError,
  loadForecaster,
  NotFittedError,
  PersistenceError,
  readCsv,
  Series,
  ValidationError,
  type EpochInfo,
} from '../../../src/index.js';
import { expectNoLeakedTensors } from '../../helpers/tensors.js';

let ncsoft: Series;
let sp: Series;
const dirs: string[] = [];
beforeAll(async () => {
  ncsoft = await readCsv('fixtures/ncsoft-weekly.csv');
  sp = (await readCsv('fixtures/sp500-2000.csv')).slice(-300);
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'stockcast-model-'));
  dirs.push(d);
  return d;
};

const small = {
  units: 6,
  lookback: 5,
  target: 'stock_price',
  features: ['num_search', 'stock_price'],
  epochs: 15,
  batchSize: 4,
  learningRate: 0.01,
};

describe('RecurrentForecaster', () => {
  const cellsAndEngines = (['rnn', 'lstm', 'gru'] as const).flatMap((cell) =>
    (['tfjs', 'fused'] as const).map((engine) => [cell, engine] as const),
  );
  it.each(cellsAndEngines)(
    '%s on %s: same seed, same data -> identical predictions; no leaked tensors',
    async (cell, engine) => {
      await expectNoLeakedTensors(async () => {
        const a = await createForecaster({ ...small, cell, engine, seed: 3 }).fit(ncsoft);
        const b = await createForecaster({ ...small, cell, engine, seed: 3 }).fit(ncsoft);
        const c = await createForecaster({ ...small, cell, engine, seed: 4 }).fit(ncsoft);
        const [pa, pb, pc] = await Promise.all([a.predict(ncsoft), b.predict(ncsoft), c.predict(ncsoft)]);
        expect(Array.from(pa.values)).toEqual(Array.from(pb.values));
        expect(pa.values[0]).not.toBe(pc.values[0]);
        expect(a.training!.history.map((h) => h.loss)).toEqual(b.training!.history.map((h) => h.loss));
        for (const m of [a, b, c]) m.dispose();
      });
    },
  );

  it('predicts the next week in price units with its future timestamp', async () => {
    const m = await createForecaster({ ...small, cell: 'rnn', epochs: 80, validation: 0, seed: 1 }).fit(ncsoft);
    const f = await m.predict(ncsoft);
    expect(new Date(f.timestamps[0]).toISOString().slice(0, 10)).toBe('2021-08-29');
    expect(f.origin).toBe(ncsoft.lastTimestamp);
    // A relative change from the last price (834,000): in that neighbourhood.
    expect(f.values[0]).toBeGreaterThan(600_000);
    expect(f.values[0]).toBeLessThan(1_050_000);
    expect(m.training!.history[79].loss).toBeLessThan(m.training!.history[0].loss);
    m.dispose();
  });

  it('learns: an LSTM beats its own first epoch and tracks a smooth series', async () => {
    const t = Array.from({ length: 200 }, (_, i) => i * 86_400_000);
    const wave = Series.create({ timestamps: t, columns: { v: t.map((_, i) => 10 + Math.sin(i / 5)) } });
    const m = await createForecaster({
      cell: 'lstm',
      units: 16,
      lookback: 10,
      target: 'v',
      epochs: 30,
      learningRate: 0.01,
      seed: 2,
    }).fit(wave);
    const f = await m.predictAt(wave, [150, 160, 170]);
    [150, 160, 170].forEach((t, i) => expect(Math.abs(f[i] - wave.column('v')[t])).toBeLessThan(0.15));
    m.dispose();
  });

  it("windowNorm 'last' learns relative changes, so it extrapolates past the training range", async () => {
    const t = Array.from({ length: 120 }, (_, i) => i * 86_400_000);
    const growth = Series.create({ timestamps: t, columns: { p: t.map((_, i) => 100 * 1.01 ** i) } });
    const train = growth.slice(0, 80);
    const m = await createForecaster({
      cell: 'gru',
      units: 8,
      lookback: 5,
      target: 'p',
      scaler: 'none',
      windowNorm: 'last',
      epochs: 60,
      learningRate: 0.01,
      seed: 1,
    }).fit(train);
    // Rows 100..119 are far above anything seen in training (max 100 * 1.01^79 = 219).
    const f = await m.predictAt(growth, [110, 119]);
    expect(Math.abs(f[0] / growth.column('p')[110] - 1)).toBeLessThan(0.01);
    expect(Math.abs(f[1] / growth.column('p')[119] - 1)).toBeLessThan(0.01);
    m.dispose();
  });

  it('multi-step horizon, validation fraction and early stopping', async () => {
    const epochs: EpochInfo[] = [];
    const m = await createForecaster({
      cell: 'gru',
      units: 8,
      lookback: 20,
      horizon: 5,
      target: 'close',
      epochs: 40,
      validation: 0.2,
      earlyStopping: { patience: 2, minDelta: 1e9 },
      seed: 1,
      onEpochEnd: (e) => void epochs.push(e),
    }).fit(sp);
    // minDelta 1e9 means no epoch ever improves on the untrained start: stop after patience epochs and keep the
    // start, whose zero head forecasts no change: the naive forecast, exactly.
    expect(epochs.length).toBe(2);
    expect(m.training).toMatchObject({ bestEpoch: 0, stoppedEarly: true });
    expect(epochs[0]).toMatchObject({ epoch: 1, epochs: 40 });
    expect(epochs[0].valLoss).toBeGreaterThan(0);
    expect(epochs[1].etaMs).toBeGreaterThan(0);
    const f = await m.predict(sp);
    expect(f.values.length).toBe(5);
    for (const v of f.values) expect(v).toBeCloseTo(sp.column('close').at(-1)!, 6);
    expect(m.training!.validation!.theilU).toBeCloseTo(1, 6);
    expect(Array.from(f.timestamps, (t) => new Date(t).getUTCDay())).toEqual([1, 2, 3, 4, 5]); // after Friday 2020-04-17
    m.dispose();
  });

  it('forecasts recursively when the target is the only feature', async () => {
    const m = await createForecaster({ cell: 'rnn', units: 4, lookback: 10, target: 'close', epochs: 3, seed: 1 }).fit(
      sp,
    );
    const f = await m.forecast(sp, 7);
    expect(f.values.length).toBe(7);
    const step1 = await m.predict(sp);
    expect(f.values[0]).toBe(step1.values[0]);
    const withFeatures = await createForecaster({ ...small, epochs: 1 }).fit(ncsoft);
    await expect(withFeatures.forecast(ncsoft, 3)).rejects.toThrow(/num_search would be unknown in the future/);
    m.dispose();
    withFeatures.dispose();
  });

  it('rejects bad options and short series with messages that say both numbers', async () => {
    expect(() => createForecaster({ lookback: 0, target: 'close' })).toThrow(ValidationError);
    expect(() => createForecaster({ lookback: 5, target: 'close', cell: 'cnn' as never })).toThrow(/cell/);
    expect(() => createForecaster({ lookback: 5, target: 'close', dropout: 1 })).toThrow(/dropout/);
    expect(() => createForecaster({ lookback: 5, target: 'close', epocs: 3 } as never)).toThrow(/epocs/);
    const long = createForecaster({ lookback: 30, target: 'stock_price' });
    await expect(long.fit(ncsoft)).rejects.toThrow(DataError);
    await expect(long.fit(ncsoft)).rejects.toThrow(
      'lookback 30 + horizon 1 needs 31 training rows, but the series has 23',
    );
    await expect(createForecaster({ lookback: 5, target: 'close' }).fit(ncsoft)).rejects.toThrow(
      'the target "close" is not a column; the data has "num_search", "stock_price"',
    );
    await expect(createForecaster({ lookback: 5, target: 'stock_price' }).predict(ncsoft)).rejects.toThrow(
      NotFittedError,
    );
  });
});

describe('save and load', () => {
  it.each(['tfjs', 'fused'] as const)(
    '%s: restores identical predictions, options, scaler and signature',
    async (engine) => {
      await expectNoLeakedTensors(async () => {
        const m = await createForecaster({ ...small, cell: 'lstm', layers: 2, seed: 5, engine }).fit(ncsoft);
        const dir = join(tmp(), 'ncsoft');
        await m.save(dir);
        const loaded = await loadForecaster(dir);
        expect(Array.from((await loaded.predict(ncsoft)).values)).toEqual(Array.from((await m.predict(ncsoft)).values));
        expect(loaded.options).toMatchObject({
          cell: 'lstm',
          layers: 2,
          lookback: 5,
          target: 'stock_price',
          seed: 5,
          engine,
        });
        expect(loaded.signature).toEqual(m.signature);
        expect(loaded.signature).toMatchObject({
          frequency: 'weekly',
          rows: 23,
          columns: ['num_search', 'stock_price'],
        });
        // Saving again over the same directory replaces it atomically.
        await loaded.save(dir);
        const again = await loadForecaster(dir);
        expect(Array.from((await again.predict(ncsoft)).values)).toEqual(Array.from((await m.predict(ncsoft)).values));
        for (const x of [m, loaded, again]) x.dispose();
      });
    },
  );

  it('a model trained on the fused engine loads on the tfjs engine (weights are engine-agnostic)', async () => {
    const m = await createForecaster({ ...small, cell: 'gru', engine: 'fused', seed: 2 }).fit(ncsoft);
    const dir = join(tmp(), 'cross');
    await m.save(dir);
    const onTfjs = await loadForecaster(dir, { engine: 'tfjs' });
    const [a, b] = [await m.predict(ncsoft), await onTfjs.predict(ncsoft)];
    // Same weights, two implementations: equal to float32 rounding (prices near 800,000 KRW).
    expect(Math.abs(a.values[0] - b.values[0]) / a.values[0]).toBeLessThan(1e-5);
    m.dispose();
    onTfjs.dispose();
  });

  it('checks the data signature when it predicts: columns and frequency', async () => {
    const m = await createForecaster({ lookback: 10, units: 4, epochs: 1 }).fit(sp);
    const weekly = Series.create({
      timestamps: sp.timestamps.filter((_, i) => i % 5 === 0),
      columns: { close: sp.column('close').filter((_, i) => i % 5 === 0) },
    });
    expect(weekly.meta.frequency).toBe('weekly');
    await expect(m.predict(weekly)).rejects.toThrow(DataError);
    await expect(m.predict(weekly)).rejects.toThrow(
      'predict(): the model was trained on daily data, this series is weekly',
    );
    await expect(m.predict(sp.select(['open']))).rejects.toThrow(/the series lacks "close"/);
    expect((await m.predict(sp.slice(-10))).values).toHaveLength(1);
    m.dispose();
  });

  it('names the missing or corrupt file', async () => {
    const m = await createForecaster({ ...small, epochs: 1 }).fit(ncsoft);
    const dir = join(tmp(), 'm');
    await m.save(dir);
    m.dispose();
    await expect(loadForecaster(join(tmp(), 'nothing'))).rejects.toThrow(/nothing\/model.json: missing or unreadable/);
    const weightsFile = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).weightsFile as string;
    const bin = readFileSync(join(dir, weightsFile));
    writeFileSync(join(dir, weightsFile), bin.subarray(0, 10));
    await expect(loadForecaster(dir)).rejects.toThrow(PersistenceError);
    await expect(loadForecaster(dir)).rejects.toThrow(
      /weights-[0-9a-f]{8}-[0-9a-f]{8}\.bin: corrupt: its SHA-256 differs/,
    );
    writeFileSync(join(dir, 'model.json'), '{"format": "stockcast-model", ');
    await expect(loadForecaster(dir)).rejects.toThrow(/model.json: corrupt JSON/);
    writeFileSync(join(dir, 'model.json'), '{"format": "something-else"}');
    await expect(loadForecaster(dir)).rejects.toThrow(/model.json: not a valid stockcast model: format/);
    await expect(createForecaster({ ...small }).save(dir)).rejects.toThrow(NotFittedError);
  });
});
