import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGlobalForecaster, loadGlobalForecaster, Panel, walkForwardPanel } from '../../../src/index.js';
import { randomWalk } from '../../helpers/synthetic.js';

const engine = { engine: 'fused' as const, threads: 1 };

/** Random walks with a volatility per symbol (0.5% to 2% a day): a known error law, exchangeable over time. */
function simulated(symbols: number, days: number): Panel {
  const one = (k: number) =>
    randomWalk(days, { seed: 100 + k, drift: 0, vol: 0.005 + (0.015 * k) / (symbols - 1), start: 20 + 10 * k });
  return Panel.create(Object.fromEntries(Array.from({ length: symbols }, (_, k) => [`V${k}`, one(k)])));
}

const share = (hits: boolean[]) => hits.filter(Boolean).length / hits.length;

describe('calibration of a global forecaster, pooled across symbols', () => {
  it('CQR on the last dates: each level covers its share of later points, within a few points', async () => {
    const panel = simulated(8, 500);
    const levels = [0.1, 0.5, 0.9];
    const forecaster = { lookback: 10, units: 8, epochs: 2, learningRate: 0.01, seed: 3, calibration: 0.3, ...engine };
    const r = await walkForwardPanel(panel, 'lstm', {
      quantiles: levels,
      testSize: 100,
      step: 1,
      refit: 'once',
      forecaster,
    });
    const points = r.quantiles!.points;
    expect(points).toHaveLength(800);
    const below = levels.map((_, k) => share(points.map((p) => p.actual <= p.quantiles[k])));
    expect(Math.abs(below[0] - 0.1)).toBeLessThan(0.04);
    expect(Math.abs(below[2] - 0.9)).toBeLessThan(0.04);
    expect(Math.abs(below[2] - below[0] - 0.8)).toBeLessThan(0.05);
    // Without calibration the same model misses by more than these tolerances.
    const uncalibrated = { ...forecaster, calibration: undefined };
    const raw = await walkForwardPanel(panel, 'lstm', {
      quantiles: levels,
      testSize: 100,
      step: 1,
      refit: 'once',
      forecaster: uncalibrated,
    });
    const rawBelow = levels.map((_, k) => share(raw.quantiles!.points.map((p) => p.actual <= p.quantiles[k])));
    expect(Math.abs(rawBelow[0] - 0.1)).toBeGreaterThan(0.05);
    expect(Math.abs(rawBelow[2] - rawBelow[0] - 0.8)).toBeGreaterThan(0.05);
  });

  it('coverage: conformal intervals cover about that share of later points; saved and loaded', async () => {
    const panel = simulated(6, 460);
    const train = panel.map((s) => s.slice(0, 360));
    const model = await createGlobalForecaster({
      lookback: 10,
      units: 8,
      epochs: 4,
      learningRate: 0.01,
      seed: 4,
      coverage: 0.8,
      validation: 0.4,
      ...engine,
    }).fit(train);
    const hits: boolean[] = [];
    for (let t = 360; t < 460; t++) {
      const f = await model.predict(panel.map((s) => s.slice(0, t)));
      for (const [symbol, s] of panel) {
        const y = s.columnRef('close')[t];
        expect(f[symbol].coverage).toBe(0.8);
        hits.push(y >= f[symbol].lower![0] && y <= f[symbol].upper![0]);
      }
    }
    expect(Math.abs(share(hits) - 0.8)).toBeLessThan(0.05);
    const dir = mkdtempSync(join(tmpdir(), 'stockcast-global-cal-'));
    try {
      await model.save(dir);
      const back = await loadGlobalForecaster(dir);
      const [a, b] = [await model.predict(train), await back.predict(train)];
      for (const symbol of panel.symbols) {
        expect(Array.from(b[symbol].lower!)).toEqual(Array.from(a[symbol].lower!));
        expect(Array.from(b[symbol].upper!)).toEqual(Array.from(a[symbol].upper!));
      }
      back.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    model.dispose();
  });

  it('calibrated quantiles are flagged and saved; too few calibration windows say how many are needed', async () => {
    const panel = simulated(3, 200);
    const o = { lookback: 8, units: 6, epochs: 2, seed: 1, quantiles: [0.1, 0.5, 0.9], calibration: 0.3, ...engine };
    const model = await createGlobalForecaster(o).fit(panel);
    const f = await model.predict(panel);
    expect(f.V0.quantiles!.calibrated).toBe(true);
    const back = await loadGlobalForecaster(await model.toBytes());
    expect(Array.from((await back.predict(panel)).V1.quantiles!.values)).toEqual(Array.from(f.V1.quantiles!.values));
    [model, back].forEach((m) => m.dispose());
    // 10 calibration dates x 3 symbols: too few windows for a 1% level.
    const extreme = createGlobalForecaster({ ...o, quantiles: [0.01, 0.5, 0.99], calibration: 0.05 });
    await expect(extreme.fit(panel)).rejects.toThrow(
      'calibrating the 0.01 quantile (step 1) needs at least 99 held-out windows, there are 30',
    );
  });
});
