import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGlobalForecaster, loadForecaster, loadGlobalForecaster, PersistenceError } from '../../../src/index.js';
import { syntheticPanel } from '../../helpers/panels.js';

const dir = mkdtempSync(join(tmpdir(), 'stockcast-global-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('saving and loading a global forecaster', () => {
  const panel = syntheticPanel({ symbols: 3, days: 90, seed: 12, columns: ['close'] });
  // Per-symbol scalers on levels, so their persistence is exercised (the default, windowNorm 'last', needs none).
  const options = {
    scaler: 'standard' as const,
    windowNorm: 'none' as const,
    lookback: 8,
    horizon: 2,
    units: 8,
    epochs: 2,
    seed: 3,
    engine: 'fused' as const,
    threads: 1,
    calendar: 'nyse',
    calendarFeatures: ['dayOfWeek' as const, 'beforeHoliday' as const],
    statics: { S000: [1], S001: [0], S002: [0.5] },
    symbolEmbedding: true,
  };

  it('round-trips scalers, symbols, calendar and covariates: identical forecasts', async () => {
    const model = await createGlobalForecaster(options).fit(panel);
    const path = join(dir, 'global');
    await model.save(path);
    const back = await loadGlobalForecaster(path);
    expect(back.symbols).toEqual(panel.symbols);
    expect(back.spec).toEqual(model.spec);
    const [a, b] = [await model.predict(panel), await back.predict(panel)];
    for (const s of panel.symbols) {
      expect(Array.from(b[s].values)).toEqual(Array.from(a[s].values));
      expect(Array.from(b[s].timestamps)).toEqual(Array.from(a[s].timestamps));
    }
    const manifest = JSON.parse(readFileSync(join(path, 'model.json'), 'utf8'));
    expect(Object.keys(manifest.payload.scalers)).toEqual(panel.symbols);
    expect(manifest.payload.calendar.name).toBe('NYSE');
    expect(manifest.payload.options.calendarFeatures).toEqual(['dayOfWeek', 'beforeHoliday']);
    await expect(loadForecaster(path)).rejects.toThrow(/holds a global-forecaster, not a forecaster/);
  });

  it.each([
    ['a missing scaler', (p: Record<string, any>) => delete p.scalers.S001, /no scaler for training symbol "S001"/],
    ['a broken scaler', (p: Record<string, any>) => (p.scalers.S000.scale = [0]), /invalid scaler of "S000"/],
    [
      'an invalid calendar',
      (p: Record<string, any>) => (p.calendar.weekend = [0, 1, 2, 3, 4, 5, 6]),
      /invalid calendar: .*weekend/,
    ],
    [
      'no symbols',
      (p: Record<string, any>) => (p.symbols = []),
      /invalid symbols: expected the list of training symbols/,
    ],
    ['invalid options', (p: Record<string, any>) => (p.options.lookback = -1), /invalid saved options: lookback: /],
    [
      'statics missing a symbol',
      (p: Record<string, any>) => delete p.options.statics.S002,
      /static covariates are missing for training symbols S002/,
    ],
    [
      'covariates that no longer match the weights',
      (p: Record<string, any>) => (p.options.calendarFeatures = ['dayOfWeek']),
      /does not match the saved options and covariates/,
    ],
  ])('refuses %s with a PersistenceError', async (_, corrupt, message) => {
    const path = join(dir, 'global');
    const manifestPath = join(path, 'model.json');
    const original = readFileSync(manifestPath, 'utf8');
    const manifest = JSON.parse(original);
    corrupt(manifest.payload);
    writeFileSync(manifestPath, JSON.stringify(manifest));
    try {
      await expect(loadGlobalForecaster(path)).rejects.toThrow(PersistenceError);
      await expect(loadGlobalForecaster(path)).rejects.toThrow(message);
    } finally {
      writeFileSync(manifestPath, original);
    }
  });
});
