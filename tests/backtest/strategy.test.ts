import { describe, expect, it } from 'vitest';
import { DataError, Series, simulateStrategy, walkForward } from '../../src/index.js';

const y = [100, 110, 99, 99, 108.9, 119.79];
const s = Series.create({ timestamps: y.map((_, i) => i * 86_400_000), columns: { close: y } });

describe('simulateStrategy', () => {
  it('long-flat on drift forecasts, with costs, next to buy-and-hold (hand-computed)', async () => {
    // drift at origins 2..5 over the expanding window: rising history -> always predicts a rise except at 4.
    const r = await walkForward(s, 'drift', { start: 2 });
    const preds = r.folds.map((f) => f.predicted[0]);
    expect(preds[0]).toBeCloseTo(120, 12); // 110 + (110-100)/1
    const sim = simulateStrategy(r, 'daily', { costBps: 10 });
    expect(sim.label).toBe('simulation');
    const market = [99 / 110 - 1, 0, 108.9 / 99 - 1, 119.79 / 108.9 - 1];
    const positions = preds.map((p, i) => (p > [110, 99, 99, 108.9][i] ? 1 : 0));
    let prev = 0;
    let equity = 1;
    positions.forEach((pos, i) => {
      equity *= 1 + pos * market[i] - Math.abs(pos - prev) * 0.001;
      prev = pos;
    });
    expect(sim.strategy.totalReturn).toBeCloseTo(equity - 1, 12);
    expect(sim.buyAndHold.totalReturn).toBeCloseTo(119.79 / 110 - 1, 12);
    expect(sim.strategy.trades).toBe(positions.reduce<number>((n, p, i) => n + (p !== (i === 0 ? 0 : positions[i - 1]) ? 1 : 0), 0));
    expect(sim.buyAndHold.maxDrawdown).toBeCloseTo(0.1, 12);
    expect(sim.timestamps).toHaveLength(4);
  });

  it('long-short shorts predicted falls; needs horizon 1 and step 1', async () => {
    const r = await walkForward(s, 'mean', { start: 2 });
    const sim = simulateStrategy(r, 'daily', { strategy: 'long-short', costBps: 0 });
    // Window means 105, 103, 102, 103.38 against last values 110, 99, 99, 108.9: short, long, long, short,
    // earning +10%, 0%, +10%, -10%.
    expect(sim.strategy.exposure).toBe(100);
    expect(sim.strategy.trades).toBe(3);
    expect(sim.strategy.totalReturn).toBeCloseTo(1.1 * 1 * 1.1 * 0.9 - 1, 12);
    expect(sim.strategy.hitRate).toBe(50);
    const multi = await walkForward(s, 'naive', { start: 2, horizon: 2 });
    expect(() => simulateStrategy(multi, 'daily')).toThrow(DataError);
  });
});
