import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conformalWidths } from '../../../src/models/probabilistic/conformal.js';
import { calibrationWidths, splitValidation } from '../../../src/models/recurrent/validation.js';
import { makeWindows } from '../../../src/prep/windows.js';
import { createForecaster, DataError, loadForecaster, Series, ValidationError } from '../../../src/index.js';
import { createRng } from '../../../src/util/random.js';

describe('splitValidation', () => {
  it('selection windows come first; calibration windows score only target rows after every selection target', () => {
    const s = Series.create({
      timestamps: Array.from({ length: 60 }, (_, i) => i * 86_400_000),
      columns: { v: Array.from({ length: 60 }, (_, i) => i) },
    });
    for (const horizon of [1, 3, 5]) {
      const w = makeWindows(s, { lookback: 4, horizon, target: 'v' });
      const { selection, calibration } = splitValidation(w);
      expect(selection.count).toBe(Math.floor(w.count / 2));
      const lastSelected = selection.targetIndex[selection.count - 1] + horizon - 1;
      const firstCalibration = w.count - calibration.count;
      expect(w.targetIndex[firstCalibration]).toBeGreaterThan(lastSelected);
      // The first window that could calibrate is not dropped: the one before it overlaps the selection.
      expect(w.targetIndex[firstCalibration - 1]).toBeLessThanOrEqual(lastSelected);
      expect(calibration.count).toBe(w.count - selection.count - (horizon - 1));
      expect(Array.from(selection.y)).toEqual(Array.from(w.y.subarray(0, selection.count * horizon)));
    }
  });
});

describe('prediction intervals with early stopping', () => {
  it('are calibrated on the later validation windows only, never on those that chose the epoch', async () => {
    // A validation series calm in its first half and noisy in its second: widths from every window and widths
    // from the later ones differ a lot, so the test tells which windows calibrated.
    const r = createRng(9);
    const noise = (k: number) => (r.next() - 0.5) * k;
    const train = Series.create({
      timestamps: Array.from({ length: 300 }, (_, i) => i * 86_400_000),
      columns: { v: Array.from({ length: 300 }, () => 100 + noise(2)) },
    });
    const val = Series.create({
      timestamps: Array.from({ length: 120 }, (_, i) => (400 + i) * 86_400_000),
      columns: { v: Array.from({ length: 120 }, (_, i) => 100 + noise(i < 60 ? 0.2 : 8)) },
    });
    const horizon = 2;
    const model = await createForecaster({
      cell: 'gru',
      units: 4,
      lookback: 6,
      horizon,
      epochs: 3,
      target: 'v',
      validation: val,
      coverage: 0.9,
      seed: 2,
    }).fit(train);
    const windows = makeWindows(val, { lookback: 6, horizon, target: 'v' });
    const origins = windows.targetIndex;
    const predicted = await model.predictAt(val, origins);
    const from = windows.count - splitValidation(windows).calibration.count;
    const later = calibrationWidths(
      val.column('v'),
      origins.subarray(from),
      predicted.subarray(from * horizon),
      horizon,
      0.9,
    );
    const all = calibrationWidths(val.column('v'), origins, predicted, horizon, 0.9);
    expect(Array.from(model.predictionInterval!.widths)).toEqual(Array.from(later));
    expect(Math.abs(later[0] - all[0])).toBeGreaterThan(0.1 * later[0]);
    model.dispose();
  });
});

describe('conformalWidths', () => {
  it('takes the ceil((n+1) coverage)-th smallest residual per step', () => {
    const r = Float64Array.from([9, 1, 8, 2, 7, 3, 6, 4, 5]);
    expect(Array.from(conformalWidths([r, r.map((v) => v * 10)], 0.8))).toEqual([8, 80]);
    expect(Array.from(conformalWidths([r], 0.5))).toEqual([5]);
  });
  it('says how many windows a coverage needs', () => {
    expect(() => conformalWidths([Float64Array.of(1, 2, 3)], 0.9)).toThrow(
      'a 90% interval needs at least 9 validation windows, there are 3',
    );
  });
});

describe('forecaster prediction intervals', () => {
  // A stationary, seeded noisy cycle: exchangeable enough for split conformal to hold.
  const rng = createRng(4);
  const n = 700;
  const values = Array.from({ length: n }, (_, i) => 100 + 5 * Math.sin(i / 7) + rng.uniform(-2, 2));
  const series = Series.create({ timestamps: values.map((_, i) => i * 86_400_000), columns: { v: values } });

  it('cover held-out data at about the nominal rate, and survive save/load', async () => {
    const train = series.slice(0, 500);
    const model = await createForecaster({
      cell: 'gru',
      units: 12,
      lookback: 14,
      horizon: 2,
      target: 'v',
      epochs: 15,
      learningRate: 0.01,
      validation: 0.4,
      coverage: 0.8,
      seed: 2,
    }).fit(train);
    expect(model.predictionInterval!.coverage).toBe(0.8);
    expect(model.predictionInterval!.widths.every((w) => w > 0)).toBe(true);
    const f = await model.predict(train);
    expect(f.coverage).toBe(0.8);
    f.values.forEach((v, h) => {
      expect(f.lower![h]).toBeCloseTo(v - model.predictionInterval!.widths[h], 9);
      expect(f.upper![h]).toBeCloseTo(v + model.predictionInterval!.widths[h], 9);
    });
    // Empirical coverage on the 200 rows the model never saw.
    const origins = Array.from({ length: 180 }, (_, i) => 510 + i);
    const predicted = await model.predictAt(series, origins);
    let inside = 0;
    origins.forEach((t, k) =>
      [0, 1].forEach(
        (h) =>
          (inside += Math.abs(values[t + h] - predicted[k * 2 + h]) <= model.predictionInterval!.widths[h] ? 1 : 0),
      ),
    );
    const rate = inside / (origins.length * 2);
    expect(rate).toBeGreaterThan(0.7);
    expect(rate).toBeLessThan(0.95);
    // The band is around a real forecast: the model beats a constant predictor (the training mean) by far.
    const mean = values.slice(0, 500).reduce((a, b) => a + b, 0) / 500;
    const rmse = (f: (t: number, k: number) => number) =>
      Math.sqrt(origins.reduce((acc, t, k) => acc + (values[t] - f(t, k)) ** 2, 0) / origins.length);
    expect(rmse((_, k) => predicted[k * 2])).toBeLessThan(0.8 * rmse(() => mean));
    const dir = mkdtempSync(join(tmpdir(), 'stockcast-interval-'));
    try {
      await model.save(join(dir, 'm'));
      const loaded = await loadForecaster(join(dir, 'm'));
      expect(Array.from((await loaded.predict(train)).upper!)).toEqual(Array.from(f.upper!));
      loaded.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    model.dispose();
  });

  it('with early stopping on, calibration stays apart from selection: coverage on unseen AR(1) data within 3 points of nominal', async () => {
    const rates: Record<string, number[]> = { '0.8': [], '0.9': [] };
    for (const seed of [1, 2, 3]) {
      // AR(1) plus observation noise: exchangeable one-step errors.
      const r = createRng(100 + seed);
      const gauss = () => Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next());
      let x = 0;
      const ys = Array.from({ length: 3000 }, () => ((x = 0.7 * x + gauss()), 100 + x + 0.5 * gauss()));
      const s = Series.create({ timestamps: ys.map((_, i) => i * 86_400_000), columns: { v: ys } });
      for (const coverage of [0.8, 0.9]) {
        const model = await createForecaster({
          cell: 'lstm',
          units: 8,
          lookback: 10,
          epochs: 30,
          learningRate: 0.01,
          validation: 0.4,
          earlyStopping: { patience: 3, restoreBest: true },
          coverage,
          seed,
        }).fit(s.slice(0, 2000));
        const origins = Array.from({ length: 990 }, (_, i) => 2010 + i);
        const predicted = await model.predictAt(s, origins);
        const w = model.predictionInterval!.widths[0];
        rates[String(coverage)].push(
          origins.filter((t, k) => Math.abs(ys[t] - predicted[k]) <= w).length / origins.length,
        );
        model.dispose();
      }
    }
    for (const [nominal, seen] of Object.entries(rates))
      expect(Math.abs(seen.reduce((a, b) => a + b, 0) / seen.length - Number(nominal))).toBeLessThan(0.03);
  });

  it('needs validation data, and enough of it', async () => {
    expect(() => createForecaster({ lookback: 5, target: 'v', coverage: 0.9, validation: 0 })).toThrow(ValidationError);
    expect(() => createForecaster({ lookback: 5, target: 'v', coverage: 0.9, validation: 0 })).toThrow(
      /coverage: coverage needs validation data/,
    );
    const short = createForecaster({ lookback: 5, target: 'v', epochs: 1, validation: 0.02, coverage: 0.95 });
    await expect(short.fit(series.slice(0, 300))).rejects.toThrow(DataError);
  });
});
