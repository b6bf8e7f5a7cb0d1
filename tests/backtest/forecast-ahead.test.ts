import { describe, expect, it } from 'vitest';
import { DataError, forecastAhead, readCsv, ValidationError, walkForward } from '../../src/index.js';
import { syntheticPanel } from '../helpers/panels.js';

const sp = (await readCsv('fixtures/sp500-2000.csv')).slice(2000, 2600);
// No validation windows: the hybrid keeps its networks (the check against the base needs validation windows).
const small = { epochs: 2, units: 8, seeds: 1, validation: 0 };

describe('forecastAhead', () => {
  it('forecasts what a backtest forecasts at an origin just after the data, for every kind of model', async () => {
    // rv:5 drops the first 5 rows, so input row cut + 5 is the transformed row cut: the backtest's first origin.
    const cut = 500;
    const seen = sp.slice(0, cut + 5);
    for (const spec of ['naive', 'ewma', 'garch', 'har', 'lstm', 'lstm+ewma']) {
      const o = { targetTransform: 'rv:5', horizon: 3, forecaster: small };
      const ahead = await forecastAhead(seen, spec, o);
      const r = await walkForward(sp, spec, { ...o, start: cut, step: 3, refit: 'once' });
      expect(ahead.values, spec).toEqual(r.folds[0].predicted);
      expect(ahead.lastTimestamp).toBe(seen.lastTimestamp);
      expect(r.folds[0].originTimestamp).toBe(sp.timestampAt(cut + 5));
      expect([ahead.target, ahead.targetKind, ahead.horizon, ahead.transform?.spec]).toEqual([
        'rv5',
        'volatility',
        3,
        'rv:5',
      ]);
      expect(ahead.values.every((x) => x > 0)).toBe(true);
    }
  });

  it('dates the steps on the trading days after the last row, and reports what the fit did', async () => {
    const ahead = await forecastAhead(sp, 'lstm', { targetTransform: 'rv:5', horizon: 4, forecaster: small });
    const DAY = 86_400_000;
    let t = sp.lastTimestamp;
    const expected: number[] = [];
    while (expected.length < 4) {
      t += DAY;
      if (![0, 6].includes(new Date(t).getUTCDay())) expected.push(t);
    }
    expect(ahead.timestamps).toEqual(expected);
    // The volatility defaults: a hybrid whose base is the candidate with the lowest QLIKE at the training origins.
    type Training = { base: string; candidates: Record<string, number> };
    const training = ahead.training as Training;
    const scores = training.candidates;
    expect(Object.keys(scores)).toEqual(['garch', 'ewma', 'har']);
    expect(training.base).toBe(Object.entries(scores).sort((a, b) => a[1] - b[1])[0][0]);
    // A base named is that base alone.
    const named = await forecastAhead(sp, 'lstm+ewma', { targetTransform: 'rv:5', horizon: 4, forecaster: small });
    expect((named.training as Training).base).toBe('ewma');
    expect((named.training as Training).candidates).toBeUndefined();
  });

  it('on a panel: models of one series per symbol, recurrent models as one global model', async () => {
    const panel = syntheticPanel({ symbols: 3, days: 400, seed: 9, columns: ['close'], raggedStart: 0, delisted: 0 });
    const har = await forecastAhead(panel, 'har', { targetTransform: 'rv:5', horizon: 2 });
    expect(Object.keys(har.bySymbol)).toEqual(panel.symbols);
    for (const symbol of panel.symbols) {
      const one = await forecastAhead(panel.get(symbol), 'har', { targetTransform: 'rv:5', horizon: 2 });
      expect(har.bySymbol[symbol].values).toEqual(one.values);
      expect(har.bySymbol[symbol].timestamps).toEqual(one.timestamps);
    }
    const lstm = await forecastAhead(panel, 'lstm', { targetTransform: 'rv:5', horizon: 2, forecaster: small });
    expect(Object.keys(lstm.bySymbol).sort()).toEqual([...panel.symbols].sort());
    for (const f of Object.values(lstm.bySymbol)) expect(f.values.every((x) => Number.isFinite(x) && x > 0)).toBe(true);
    expect((lstm.training as { base: string }).base).toMatch(/^(garch|ewma|har)$/);
  });

  it('refuses bad options and too short a series with typed errors', async () => {
    await expect(forecastAhead(sp, 'naive', { horizon: 0 })).rejects.toThrow(ValidationError);
    await expect(forecastAhead(sp, 'naive', { horizn: 2 } as never)).rejects.toThrow(/horizn/);
    await expect(forecastAhead(sp, 'har', {})).rejects.toThrow(/price/);
    await expect(forecastAhead(sp.slice(0, 12), 'har', { targetTransform: 'rv:5' })).rejects.toThrow(DataError);
  });
});
