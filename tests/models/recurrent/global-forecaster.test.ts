import { describe, expect, it } from 'vitest';
import {
  createGlobalForecaster,
  DataError,
  NotFittedError,
  nyseCalendar,
  Panel,
  Series,
  ValidationError,
} from '../../../src/index.js';
import { businessDays, syntheticPanel } from '../../helpers/panels.js';

const fast = { lookback: 10, units: 8, epochs: 3, batchSize: 16, seed: 1, engine: 'fused' as const, threads: 1 };

describe('GlobalForecaster', () => {
  it('trains one network across symbols and forecasts each symbol on its own scale', async () => {
    // Two symbols a thousandfold apart: a shared network only works because each symbol has its own scaler.
    const days = businessDays(160);
    const wave = (amp: number, phase: number) => Array.from(days, (_, i) => amp * (2 + Math.sin(i / 5 + phase)));
    const panel = Panel.create({
      SMALL: Series.create({ timestamps: days, columns: { close: wave(1, 0) } }),
      BIG: Series.create({ timestamps: days.slice(20), columns: { close: wave(1000, 1).slice(20) } }),
    });
    // Every row trains (no validation share), so all 30 epochs run.
    const model = await createGlobalForecaster({ ...fast, epochs: 30, horizon: 2, validation: 0 }).fit(panel);
    expect(model.symbols).toEqual(['SMALL', 'BIG']);
    expect(model.history).toHaveLength(30);
    expect(model.history[29].loss).toBeLessThan(model.history[0].loss);
    const f = await model.predict(panel);
    expect(Object.keys(f)).toEqual(['SMALL', 'BIG']);
    for (const v of f.SMALL.values) expect(v).toBeGreaterThan(0.5), expect(v).toBeLessThan(3.5);
    for (const v of f.BIG.values) expect(v).toBeGreaterThan(500), expect(v).toBeLessThan(3500);
    expect(f.BIG.timestamps).toHaveLength(2);
    model.dispose();
  });

  it('the same seed gives the same forecasts', async () => {
    const panel = syntheticPanel({ symbols: 5, days: 120, seed: 2, columns: ['close'] });
    const a = await (await createGlobalForecaster(fast).fit(panel)).predict(panel);
    const b = await (await createGlobalForecaster(fast).fit(panel)).predict(panel);
    for (const s of panel.symbols) expect(Array.from(a[s].values)).toEqual(Array.from(b[s].values));
  });

  it('future-known calendar features and NYSE dates for the forecast steps', async () => {
    const panel = syntheticPanel({ symbols: 3, days: 100, seed: 4, columns: ['close', 'volume'] }).map((s) =>
      s.between(0, Date.UTC(2000, 3, 20)),
    );
    const model = await createGlobalForecaster({
      ...fast,
      horizon: 3,
      features: ['close', 'volume'],
      calendar: 'nyse',
      calendarFeatures: ['dayOfWeek', 'beforeHoliday'],
      statics: { S000: [1, 0], S001: [0, 1], S002: [0, 1] },
    }).fit(panel);
    expect(model.spec.inputSize).toBe(2 + 2 + 2 + 1);
    const f = await model.predict(panel);
    // Thursday 2000-04-20: Good Friday 2000-04-21 is skipped.
    expect(Array.from(f.S000.timestamps, (t) => new Date(t).toISOString().slice(0, 10))).toEqual([
      '2000-04-24',
      '2000-04-25',
      '2000-04-26',
    ]);
    for (const t of f.S001.timestamps) expect(nyseCalendar().isTradingDay(t)).toBe(true);
    model.dispose();
  });

  it('categorical statics (a sector): one-hot inputs, the same forecasts after save and load', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { loadGlobalForecaster } = await import('../../../src/index.js');
    const panel = syntheticPanel({ symbols: 3, days: 90, seed: 9, columns: ['close'] });
    const statics = { S000: ['tech', 2], S001: ['energy', 1], S002: ['tech', 3] };
    const model = await createGlobalForecaster({ ...fast, statics }).fit(panel);
    // One past feature, two sector columns and one number (no forecast steps without future-known covariates).
    expect(model.spec.inputSize).toBe(1 + 2 + 1);
    const before = await model.predict(panel);
    const dir = mkdtempSync(join(tmpdir(), 'stockcast-statics-'));
    try {
      await model.save(dir);
      const loaded = await loadGlobalForecaster(dir);
      const after = await loaded.predict(panel);
      for (const symbol of panel.symbols)
        expect(Array.from(after[symbol].values)).toEqual(Array.from(before[symbol].values));
      loaded.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    model.dispose();
    await expect(
      createGlobalForecaster({ ...fast, statics: { S000: ['tech'], S001: [1], S002: [2] } }).fit(panel),
    ).rejects.toThrow(/mixes numbers and categories/);
  });

  it('an unseen symbol is forecast from its own history, unless the model embeds symbols', async () => {
    const panel = syntheticPanel({ symbols: 4, days: 120, seed: 6, columns: ['close'] });
    const train = panel.select(['S000', 'S001', 'S002']);
    const plain = await createGlobalForecaster(fast).fit(train);
    const f = await plain.predict(panel.select(['S003']));
    const last = panel.get('S003').column('close').at(-1)!;
    expect(Math.abs(f.S003.values[0] - last) / last).toBeLessThan(0.5);
    const embedded = await createGlobalForecaster({ ...fast, symbolEmbedding: true }).fit(train);
    expect(embedded.spec.inputSize).toBe(1 + 3);
    await expect(embedded.predict(panel.select(['S003']))).rejects.toThrow(
      'symbol "S003" was not seen in training, and the model uses a per-symbol embedding',
    );
    expect(Object.keys(await embedded.predict(train))).toEqual(['S000', 'S001', 'S002']);
  });

  it('bad input', async () => {
    const panel = syntheticPanel({ symbols: 2, days: 60, seed: 8, columns: ['close'] });
    await expect(createGlobalForecaster(fast).predict(panel)).rejects.toThrow(NotFittedError);
    await expect(createGlobalForecaster({ ...fast, lookback: 200 }).fit(panel)).rejects.toThrow(
      /no symbol has a complete training window: lookback 200 \+ horizon 1 needs 201 rows before the held-out dates/,
    );
    await expect(createGlobalForecaster({ ...fast, features: ['volume'] }).fit(panel)).rejects.toThrow(
      /lacks feature "volume"/,
    );
    const model = await createGlobalForecaster(fast).fit(panel);
    await expect(model.predict(panel.map((s) => s.slice(-5)))).rejects.toThrow(
      'symbol "S000" has 5 rows, fewer than lookback = 10',
    );
    await expect(createGlobalForecaster({ ...fast, statics: { S000: [1] } }).fit(panel)).rejects.toThrow(DataError);
    expect(() => createGlobalForecaster({ calendar: 'lse' })).toThrow(/no built-in calendar "lse"/);
    expect(() => createGlobalForecaster({ units: 0 })).toThrow(ValidationError);
  });
});
