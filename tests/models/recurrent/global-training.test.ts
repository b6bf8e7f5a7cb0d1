import { describe, expect, it } from 'vitest';
import { createGlobalForecaster, Panel, Series } from '../../../src/index.js';
import { createRng } from '../../../src/util/random.js';
import { businessDays } from '../../helpers/panels.js';
import { randomWalk } from '../../helpers/synthetic.js';

const engine = { engine: 'fused' as const, threads: 1 };

/** A learnable panel: noisy sines of different levels and phases, so training beats the untrained start. */
function sines(symbols: number, days: number, seed: number): Panel {
  const rng = createRng(seed);
  const ts = businessDays(days);
  const one = (k: number) => Array.from(ts, (_, i) => (k + 1) * (10 + Math.sin(i / 4 + k)) + 0.05 * (rng.next() - 0.5));
  return Panel.create(
    Object.fromEntries(
      Array.from({ length: symbols }, (_, k) => [
        `S${k}`,
        Series.create({ timestamps: ts, columns: { close: one(k) } }),
      ]),
    ),
  );
}

/** Driftless random walks: nothing to learn, so no epoch should beat the naive start on held-out dates. */
const walks = () =>
  Panel.create(
    Object.fromEntries([0, 1, 2, 3].map((k) => [`R${k}`, randomWalk(300, { seed: 17 + k, drift: 0, vol: 0.01 })])),
  );
const learnable = {
  lookback: 8,
  units: 6,
  epochs: 12,
  learningRate: 0.02,
  seed: 5,
  scaler: 'minmax',
  windowNorm: 'none',
  ...engine,
} as const;

/** The check windows recomputed from the definition: targets in the later half of the validation dates. */
function laterValidationOrigins(
  panel: Panel,
  o: { lookback: number; horizon: number; validation: number },
): Array<[string, number]> {
  const dates = panel.unionRef();
  const n = dates.length;
  const held = Math.max(o.horizon, Math.round(n * o.validation));
  const mid = dates[n - held + Math.floor(held / 2)];
  const out: Array<[string, number]> = [];
  for (const [symbol, s] of panel) {
    for (let t = Math.max(o.lookback, s.indexAtOrAfter(mid)); t + o.horizon <= s.length; t++) out.push([symbol, t]);
  }
  return out;
}

describe('the global forecaster trains as the one-series forecaster does', () => {
  it('early stopping keeps the untrained start on random walks: the forecasts are the naive forecast', async () => {
    const panel = walks();
    const model = await createGlobalForecaster({
      lookback: 8,
      units: 6,
      epochs: 3,
      learningRate: 0.3,
      seed: 1,
      ...engine,
    }).fit(panel);
    const t = model.training;
    expect(t.bestEpoch).toBe(0);
    expect(t.history!.length).toBeGreaterThan(0);
    expect(t.history!.every((h) => h.valLoss !== undefined)).toBe(true);
    expect(t.finalFit).toBeUndefined();
    expect(t.run!.engine).toBe('fused');
    const f = await model.predict(panel);
    for (const [symbol, s] of panel)
      for (const v of f[symbol].values) expect(v).toBe(Math.fround(s.columnRef('close').at(-1)!));
    model.dispose();
  });

  it("finalFit 'all' retrains from the seed on every row for the epochs chosen; 'training' keeps the first", async () => {
    const panel = sines(3, 220, 1);
    const model = await createGlobalForecaster(learnable).fit(panel);
    const t = model.training;
    expect(t.bestEpoch).toBeGreaterThan(0);
    expect(t.finalFit).toEqual({ rows: 3 * 220, epochs: t.bestEpoch });
    // The same as a model trained on every row for that many epochs with no validation, from the same seed.
    const direct = await createGlobalForecaster({ ...learnable, epochs: t.bestEpoch, validation: 0 }).fit(panel);
    const [a, b] = [await model.predict(panel), await direct.predict(panel)];
    for (const s of panel.symbols) expect(Array.from(a[s].values)).toEqual(Array.from(b[s].values));
    const kept = await createGlobalForecaster({ ...learnable, finalFit: 'training' }).fit(panel);
    expect(kept.training.finalFit).toBeUndefined();
    expect(kept.training.history).toEqual(t.history);
    expect(Array.from((await kept.predict(panel)).S0.values)).not.toEqual(Array.from(a.S0.values));
    // Never on calibration dates: the rows before the last 20% of the dates.
    const q = await createGlobalForecaster({ ...learnable, quantiles: [0.1, 0.5, 0.9], calibration: 0.2 }).fit(panel);
    expect(q.training.finalFit).toEqual({ rows: 3 * (220 - 44), epochs: q.training.bestEpoch });
    [model, direct, kept, q].forEach((m) => m.dispose());
  });

  it("the check against naive: pooled Theil's U on the later validation windows, before the final fit", async () => {
    const panel = sines(3, 200, 2);
    const o = { ...learnable, validation: 0.3, horizon: 2 };
    const before = await createGlobalForecaster({ ...o, finalFit: 'training' }).fit(panel);
    const after = await createGlobalForecaster(o).fit(panel);
    const check = before.training.validation!;
    expect(after.training.validation).toEqual(check);
    expect(after.training.finalFit).toBeDefined();
    // Recomputed through predict(): each window's forecast from the rows before its origin, in target units.
    const origins = laterValidationOrigins(panel, o);
    let model = 0;
    let naive = 0;
    for (const [symbol, t] of origins) {
      const y = panel.get(symbol).columnRef('close');
      const f = (await before.predict(panel.select([symbol]).map((s) => s.slice(0, t))))[symbol].values;
      for (let h = 0; h < 2; h++) {
        model += (y[t + h] - f[h]) ** 2;
        naive += (y[t + h] - y[t - 1]) ** 2;
      }
    }
    expect(check.heldOut).toBe(true);
    expect(check.windows).toBe(origins.length);
    expect(check.rmse).toBeCloseTo(Math.sqrt(model / (2 * origins.length)), 5);
    expect(check.naiveRmse).toBeCloseTo(Math.sqrt(naive / (2 * origins.length)), 10);
    expect(check.theilU).toBeLessThan(1);
    // Too few validation dates to split: the check is in-sample, and says so.
    const short = await createGlobalForecaster({ ...o, validation: 0.005, horizon: 1 }).fit(panel);
    expect(short.training.validation!.heldOut).toBe(false);
    [before, after, short].forEach((m) => m.dispose());
  });

  it('clipNorm reaches the engine: SGD steps clipped to nothing leave the naive start in place', async () => {
    const panel = walks();
    const o = {
      lookback: 8,
      units: 6,
      epochs: 3,
      learningRate: 0.5,
      optimizer: 'sgd' as const,
      validation: 0,
      seed: 2,
      ...engine,
    };
    const free = await (await createGlobalForecaster(o).fit(panel)).predict(panel);
    const clipped = await (await createGlobalForecaster({ ...o, clipNorm: 1e-9 }).fit(panel)).predict(panel);
    for (const [symbol, s] of panel) {
      const last = s.columnRef('close').at(-1)!;
      expect(Math.abs(clipped[symbol].values[0] / last - 1)).toBeLessThan(1e-6);
      expect(Math.abs(free[symbol].values[0] / last - 1)).toBeGreaterThan(1e-4);
    }
  });
});
