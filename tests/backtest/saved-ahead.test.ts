import { mkdtempSync, readdirSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createForecaster,
  forecastAhead,
  loadForecaster,
  loadVolatilityModel,
  PersistenceError,
  readCsv,
  ValidationError,
} from '../../src/index.js';
import { syntheticPanel } from '../helpers/panels.js';

const dir = mkdtempSync(join(tmpdir(), 'stockcast-saved-ahead-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sp = (await readCsv('fixtures/sp500-2000.csv')).slice(2000, 2800);
const target = { targetTransform: 'rv:5', horizon: 3 } as const;

describe('forecastAhead save and loadVolatilityModel', () => {
  it('a saved volatility model forecasts what forecastAhead forecast, from a directory and from bytes', async () => {
    const save = join(dir, 'series');
    // No validation windows: the networks are kept (no check against the base).
    const forecaster = { epochs: 2, units: 8, seeds: 2, validation: 0 };
    const f = await forecastAhead(sp, 'lstm', { ...target, forecaster, save });
    const training = f.training as { base: string; seeds: number };
    const base = await forecastAhead(sp, training.base, target);
    // The networks correct the base: a model that lost them would forecast the base.
    expect(f.values).not.toEqual(base.values);
    const m = await loadVolatilityModel(save);
    expect([m.model, m.target, m.targetKind, m.horizon, m.base, m.scope]).toEqual([
      'lstm',
      'rv5',
      'volatility',
      3,
      training.base,
      'series',
    ]);
    expect(m.training).toEqual(f.training);
    const again = await m.forecast(sp);
    expect(again.values).toEqual(f.values);
    expect(again.timestamps).toEqual(f.timestamps);
    const fromBytes = await loadVolatilityModel(await m.toBytes());
    const mean = await fromBytes.forecast(sp, { horizonMean: true });
    expect(mean.values).toEqual(f.values);
    expect(mean.mean).toBeCloseTo(f.values.reduce((a, b) => a + b, 0) / 3, 12);
    // New rows: the base refits on them, the networks read them; nothing trains (the same numbers twice).
    const later = (await readCsv('fixtures/sp500-2000.csv')).slice(2000, 2850);
    const next = await m.forecast(later);
    expect(next.values).not.toEqual(f.values);
    expect((await fromBytes.forecast(later)).values).toEqual(next.values);
    await expect(m.forecast(syntheticPanel({ symbols: 2, days: 300 }))).rejects.toThrow(/fitted on one series/);
    m.dispose();
    fromBytes.dispose();
  });

  it('a model whose check dropped the correction is its base exactly, refitted on new rows', async () => {
    const save = join(dir, 'dropped');
    const f = await forecastAhead(sp, 'lstm', { ...target, forecaster: { epochs: 2, units: 8, seeds: 2 }, save });
    const training = f.training as { base: string; check: { kept: boolean } };
    expect(training.check.kept).toBe(false);
    const m = await loadVolatilityModel(save);
    const later = (await readCsv('fixtures/sp500-2000.csv')).slice(2000, 2900);
    const base = await forecastAhead(later, training.base, target);
    expect((await m.forecast(later)).values).toEqual(base.values);
  });

  it('a global model of a panel saves and forecasts every symbol as forecastAhead did', async () => {
    const panel = syntheticPanel({ symbols: 3, days: 500, seed: 3, delisted: 0 });
    const save = join(dir, 'panel');
    const options = { ...target, forecaster: { epochs: 1, units: 8, seeds: 1, validation: 0 }, save };
    const f = await forecastAhead(panel, 'gru', options);
    const m = await loadVolatilityModel(save);
    expect(m.scope).toBe('panel');
    const again = await m.forecast(panel);
    for (const [symbol, one] of Object.entries(f.bySymbol)) expect(again[symbol].values).toEqual(one.values);
    await expect(m.forecast(sp)).rejects.toThrow(ValidationError);
  });

  it('refuses to save a model it cannot save, before training', async () => {
    const save = join(dir, 'refused');
    await expect(forecastAhead(sp, 'garch', { ...target, save })).rejects.toThrow(/save: garch cannot be saved/);
    const plain = forecastAhead(sp, 'lstm', { target: 'close', forecaster: { epochs: 1 }, save });
    await expect(plain).rejects.toThrow(ValidationError);
    const panel = syntheticPanel({ symbols: 2, days: 300 });
    await expect(forecastAhead(panel, 'ewma', { ...target, save })).rejects.toThrow(/runs per symbol/);
    expect(() => readdirSync(save)).toThrow();
  });

  it('reports a corrupt or foreign directory as a PersistenceError naming the file', async () => {
    const save = join(dir, 'corrupt');
    await forecastAhead(sp, 'lstm', { ...target, forecaster: { epochs: 1, units: 8, seeds: 1, validation: 0 }, save });
    await expect(loadForecaster(save)).rejects.toThrow(/holds a volatility-model, not a forecaster/);
    const weights = readdirSync(save).find((name) => name.endsWith('.bin'))!;
    truncateSync(join(save, weights), 16);
    await expect(loadVolatilityModel(save)).rejects.toThrow(PersistenceError);
    await expect(loadVolatilityModel(save)).rejects.toThrow(/SHA-256/);
    const forecasterDir = join(dir, 'forecaster');
    const model = await createForecaster({ lookback: 5, epochs: 1, units: 4 }).fit(sp.slice(0, 200));
    await model.save(forecasterDir);
    await expect(loadVolatilityModel(forecasterDir)).rejects.toThrow(/holds a forecaster, not a volatility-model/);
  });
});
