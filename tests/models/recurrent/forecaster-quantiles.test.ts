import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyTargetTransform, createForecaster, loadForecaster, readCsv } from '../../../src/index.js';
import { pointLevel } from '../../../src/models/recurrent/forecaster-quantiles.js';

const sp = await readCsv('fixtures/sp500-2000.csv');
const returns = applyTargetTransform(sp.slice(3000, 4400), 'logret').series.select(['logret']);
const levels = [0.05, 0.5, 0.95];

describe('quantile forecaster', () => {
  it('forecasts non-crossing quantiles on both engines, the point forecast is the median', async () => {
    for (const engine of ['fused', 'tfjs'] as const) {
      const m = await createForecaster({
        lookback: 20,
        horizon: 2,
        quantiles: levels,
        epochs: 3,
        engine,
        seed: 1,
        scaler: 'standard',
        windowNorm: 'none',
      }).fit(returns.slice(0, 600));
      expect(m.spec.outputSize).toBe(6);
      const origins = Array.from({ length: 100 }, (_, i) => 600 + i);
      const q = await m.predictQuantilesAt(returns, origins);
      expect(q.length).toBe(100 * 2 * 3);
      for (let i = 0; i < q.length; i += 3)
        expect(q[i] <= q[i + 1] && q[i + 1] <= q[i + 2], `${engine} group ${i / 3}`).toBe(true);
      const point = await m.predictAt(returns, origins);
      point.forEach((v, i) => expect(v).toBe(q[i * 3 + 1]));
      const f = await m.predict(returns.slice(0, 700));
      expect(f.quantiles!.levels).toEqual(levels);
      expect(Array.from(f.quantiles!.values)).toEqual(
        Array.from(await m.predictQuantilesAt(returns.slice(0, 700), [700])),
      );
      expect(f.quantiles!.calibrated).toBe(false);
      m.dispose();
    }
    expect(pointLevel([0.01, 0.05])).toBe(1);
  });

  it('CQR on the held-out calibration span: each level covers its share of those windows, and survives save/load', async () => {
    const rows = 900;
    // The exact conformal rank holds for the model the shifts were calibrated on: the one that forecasts, after a
    // final fit too (which never trains on the calibration rows, so they calibrate it again).
    const options = {
      lookback: 20,
      quantiles: levels,
      calibration: 0.3,
      validation: 0.1,
      epochs: 4,
      seed: 2,
      scaler: 'standard',
      windowNorm: 'none',
    } as const;
    const y = returns.column('logret');
    // The calibration windows: targets in the last 30% of the rows given to fit (270 rows), after validation.
    const origins = Array.from({ length: 270 }, (_, i) => rows - 270 + i);
    const final = await createForecaster(options).fit(returns.slice(0, rows));
    const m = await createForecaster({ ...options, finalFit: 'training' }).fit(returns.slice(0, rows));
    expect(final.training!.finalFit).toBeDefined();
    for (const model of [m, final]) {
      expect(model.quantileShifts).toHaveLength(1);
      const q = await model.predictQuantilesAt(returns.slice(0, rows), origins);
      levels.forEach((tau, k) => {
        const below = origins.filter((t, w) => y[t] <= q[w * 3 + k]).length / origins.length;
        // The conformal rank puts ceil(271 tau) (tau >= 0.5) or floor(271 tau) scores at or below the shift.
        expect(Math.abs(below - tau), `level ${tau}: ${below}`).toBeLessThanOrEqual(2 / 270);
      });
    }
    final.dispose();
    const later = Array.from({ length: 50 }, (_, i) => rows + i);
    const qLater = await m.predictQuantilesAt(returns, later);
    const dir = mkdtempSync(join(tmpdir(), 'stockcast-q-'));
    try {
      await m.save(dir);
      const loaded = await loadForecaster(dir);
      expect(Array.from(await loaded.predictQuantilesAt(returns, later))).toEqual(Array.from(qLater));
      expect((await loaded.predict(returns)).quantiles!.calibrated).toBe(true);
      loaded.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      m.dispose();
    }
  });

  it('explains invalid combinations', () => {
    expect(() => createForecaster({ quantiles: [0.9, 0.1] })).toThrow(/quantile levels must increase/);
    expect(() => createForecaster({ quantiles: [0, 0.5] })).toThrow(/quantiles/);
    expect(() => createForecaster({ calibration: 0.2 })).toThrow(/calibration calibrates quantiles/);
    expect(() => createForecaster({ quantiles: [0.1, 0.9], coverage: 0.8, validation: 0.2 })).toThrow(
      /quantiles .* or coverage, not both/,
    );
  });
});
