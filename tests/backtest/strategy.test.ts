import { describe, expect, it } from 'vitest';
import {
  DataError,
  Series,
  deflatedSharpe,
  probabilisticSharpe,
  readCsv,
  sharpeRatio,
  simulateStrategy,
  walkForward,
} from '../../src/index.js';

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
    expect(sim.strategy.trades).toBe(
      positions.reduce<number>((n, p, i) => n + (p !== (i === 0 ? 0 : positions[i - 1]) ? 1 : 0), 0),
    );
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

describe('simulateStrategy: skill or luck (issue 25)', () => {
  const sp = readCsv('fixtures/sp500-2000.csv');

  it("its Sharpe ratio is sharpeRatio's on its returns, with the standard error, PSR and random signals", async () => {
    const r = await walkForward(await sp, 'ma:5', { target: 'close', testSize: 250 });
    const sim = simulateStrategy(r, 'daily', { costBps: 5 });
    const returns = sim.strategy.equity.map((e, i) => e / (i === 0 ? 1 : sim.strategy.equity[i - 1]) - 1);
    const est = sharpeRatio(returns, { periodsPerYear: 252 });
    expect(sim.strategy.sharpe).toBeCloseTo(est.sharpe, 10);
    expect(sim.strategy.sharpeStandardError).toBeCloseTo(est.standardError, 10);
    expect(sim.strategy.probabilisticSharpe).toBeCloseTo(probabilisticSharpe(returns), 10);
    expect(sharpeRatio(returns).sharpe).toBeCloseTo(sim.strategy.sharpe / Math.sqrt(252), 10);
    const hold = sim.buyAndHold.equity.map((e, i) => e / (i === 0 ? 1 : sim.buyAndHold.equity[i - 1]) - 1);
    const holdError = sharpeRatio(hold, { periodsPerYear: 252 }).standardError;
    expect(sim.buyAndHold.sharpeStandardError).toBeCloseTo(holdError, 10);
    // No trial count: no DSR, and the reason is there for the report.
    expect(sim.strategy.deflatedSharpe).toBeUndefined();
    expect(sim.strategy.deflatedSharpeNote).toMatch(/trials, trialSharpeVariance/);
    const random = sim.strategy.randomSignals!;
    expect(random.count).toBe(1000);
    expect(random.value).toBeCloseTo(sim.strategy.sharpe, 10);
    expect(random.percentile).toBeGreaterThanOrEqual(0);
    expect(random.percentile).toBeLessThanOrEqual(100);
    // Seeded: the same numbers again; another seed, other signals.
    expect(simulateStrategy(r, 'daily', { costBps: 5 }).strategy.randomSignals).toEqual(random);
    const other = simulateStrategy(r, 'daily', { costBps: 5, seed: 1, randomBaselines: 10 }).strategy.randomSignals!;
    expect(other.values).not.toEqual(random.values.slice(0, 10));
  });

  it('gives the deflated Sharpe ratio with a trial count and variance, and refuses one without the other', async () => {
    const r = await walkForward(await sp, 'drift', { target: 'close', testSize: 120 });
    const options = { strategy: 'long-short', trials: 20, trialSharpeVariance: 0.004, randomBaselines: 0 } as const;
    const sim = simulateStrategy(r, 'daily', options);
    const returns = sim.strategy.equity.map((e, i) => e / (i === 0 ? 1 : sim.strategy.equity[i - 1]) - 1);
    const dsr = deflatedSharpe(returns, { trials: 20, trialSharpeVariance: 0.004 });
    expect(sim.strategy.deflatedSharpe).toBeCloseTo(dsr, 12);
    expect(sim.strategy.deflatedSharpeNote).toBeUndefined();
    expect(sim.strategy.randomSignals).toBeUndefined();
    expect(sim.strategy.deflatedSharpe!).toBeLessThanOrEqual(sim.strategy.probabilisticSharpe);
    expect(() => simulateStrategy(r, 'daily', { trials: 20 })).toThrow(/give trials and trialSharpeVariance together/);
  });

  it('says there is no standard error when the strategy never trades', async () => {
    const timestamps = [0, 1, 2, 3, 4, 5, 6].map((i) => i * 86_400_000);
    const flat = Series.create({ timestamps, columns: { close: [10, 9, 8, 7, 6, 5, 4] } });
    const sim = simulateStrategy(await walkForward(flat, 'drift', { start: 2 }), 'daily', { randomBaselines: 5 });
    expect(sim.strategy.sharpe).toBe(0);
    expect(sim.strategy.sharpeStandardError).toBeNaN();
    expect(sim.strategy.deflatedSharpeNote).toBeDefined();
    expect(sim.strategy.randomSignals!.percentile).toBe(50);
  });
});
