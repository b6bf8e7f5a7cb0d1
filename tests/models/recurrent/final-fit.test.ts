import { describe, expect, it } from 'vitest';
import { createForecaster, createGlobalForecaster, Series, ValidationError } from '../../../src/index.js';
import { splitValidation } from '../../../src/models/recurrent/validation.js';
import { makeWindows } from '../../../src/prep/windows.js';
import { createRng } from '../../../src/util/random.js';
import { randomWalk } from '../../helpers/synthetic.js';

const DAY = 86_400_000;
/** A learnable series: a noisy sine, so training beats the untrained start. */
function sine(n: number, seed: number): Series {
  const rng = createRng(seed);
  const v = Array.from({ length: n }, (_, i) => 10 + Math.sin(i / 4) + 0.05 * (rng.next() - 0.5));
  return Series.create({ timestamps: v.map((_, i) => Date.UTC(2020, 0, 1) + i * DAY), columns: { v } });
}
const base = {
  target: 'v',
  lookback: 8,
  units: 6,
  epochs: 12,
  learningRate: 0.02,
  seed: 5,
  scaler: 'minmax',
  windowNorm: 'none',
} as const;

describe('finalFit: retraining on the training and validation rows', () => {
  it("'all' (default) retrains from the seed on every non-calibration row for the chosen epochs", async () => {
    const s = sine(300, 1);
    const model = await createForecaster({ ...base }).fit(s);
    const t = model.training!;
    expect(t.bestEpoch).toBeGreaterThan(0);
    expect(t.finalFit).toEqual({ rows: 300, epochs: t.bestEpoch });
    // The same as a model trained on all 300 rows for that many epochs with no validation, from the same seed.
    const direct = await createForecaster({ ...base, epochs: t.bestEpoch, validation: 0 }).fit(s);
    expect(Array.from(await model.predictAt(s, [250, 300]))).toEqual(Array.from(await direct.predictAt(s, [250, 300])));
    const kept = await createForecaster({ ...base, finalFit: 'training' }).fit(s);
    expect(kept.training!.finalFit).toBeUndefined();
    expect(Array.from(await kept.predictAt(s, [300]))).not.toEqual(Array.from(await model.predictAt(s, [300])));
    // The history is the selection run's; the final fit adds no epochs to it.
    expect(t.history).toEqual(kept.training!.history);
    [model, direct, kept].forEach((m) => m.dispose());
  });

  it('never trains on calibration rows, and does nothing without validation rows or when the untrained start won', async () => {
    const s = sine(300, 2);
    const q = await createForecaster({ ...base, quantiles: [0.1, 0.5, 0.9], calibration: 0.2 }).fit(s);
    expect(q.training!.finalFit).toEqual({ rows: 240, epochs: q.training!.bestEpoch });
    q.dispose();
    const none = await createForecaster({ ...base, validation: 0 }).fit(s);
    expect(none.training!.finalFit).toBeUndefined();
    none.dispose();
    // A random walk with windowNorm 'last': no epoch beats the naive start on validation.
    const walk = randomWalk(300, { seed: 3, drift: 0, vol: 0.01 });
    const naive = await createForecaster({ lookback: 8, units: 6, epochs: 3, learningRate: 0.05, seed: 1 }).fit(walk);
    expect(naive.training!.bestEpoch).toBe(0);
    expect(naive.training!.finalFit).toBeUndefined();
    naive.dispose();
  });
});

describe("the check against naive (Theil's U) is measured where nothing was selected", () => {
  it('on the later validation windows, on the model before the final fit', async () => {
    const s = sine(400, 3);
    const o = { ...base, validation: 0.3 };
    const before = await createForecaster({ ...o, finalFit: 'training' }).fit(s);
    const after = await createForecaster(o).fit(s);
    const check = before.training!.validation!;
    // The same check, from the model before the final fit.
    expect(after.training!.validation).toEqual(check);
    expect(after.training!.finalFit).toBeDefined();
    // Recomputed from the windows: the later ones (targets after every selection target) match; the selection ones do not.
    const windows = makeWindows(s, { lookback: 8, horizon: 1, target: 'v', start: 280, end: 400 });
    const later = windows.targetIndex.subarray(windows.count - splitValidation(windows).calibration.count);
    const selection = splitValidation(windows).selection.targetIndex;
    const rmse = async (origins: Int32Array | Float64Array | Uint32Array) => {
      const p = await before.predictAt(s, origins);
      return Math.sqrt(
        Array.from(origins).reduce((sum, t, i) => sum + (s.column('v')[t] - p[i]) ** 2, 0) / origins.length,
      );
    };
    expect(check.heldOut).toBe(true);
    expect(check.windows).toBe(later.length);
    expect(check.windows).toBeLessThan(windows.count);
    expect(check.rmse).toBeCloseTo(await rmse(later), 10);
    expect(Math.abs(check.rmse - (await rmse(selection)))).toBeGreaterThan(1e-6);
    [before, after].forEach((m) => m.dispose());
  });
});

describe('an option the user gives wins over a default they never chose', () => {
  it("scaler without windowNorm: windowNorm 'none', recorded in training.adjusted", async () => {
    const s = sine(200, 4);
    const model = createForecaster({ target: 'v', lookback: 8, units: 4, epochs: 2, scaler: 'standard' });
    expect(model.options.windowNorm).toBe('none');
    await model.fit(s);
    expect(model.training!.adjusted).toEqual([
      {
        option: 'windowNorm',
        value: 'none',
        reason: expect.stringMatching(/scaler 'standard' was given without windowNorm/),
      },
    ]);
    model.dispose();
    expect(createForecaster({}).options.windowNorm).toBe('last');
    // Both given and contradictory: still refused.
    expect(() => createForecaster({ scaler: 'standard', windowNorm: 'last' })).toThrow(ValidationError);
    const plain = await createForecaster({ target: 'v', lookback: 8, units: 4, epochs: 1 }).fit(s);
    expect(plain.training!.adjusted).toBeUndefined();
    plain.dispose();
  });

  it('the global forecaster too', () => {
    const g = createGlobalForecaster({ scaler: 'robust' });
    expect(g.options.windowNorm).toBe('none');
    expect(g.training.adjusted?.[0]).toMatchObject({ option: 'windowNorm', value: 'none' });
    expect(createGlobalForecaster({}).options.windowNorm).toBe('last');
    expect(() => createGlobalForecaster({ scaler: 'robust', windowNorm: 'last' })).toThrow(ValidationError);
  });
});
