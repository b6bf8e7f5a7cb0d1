import { describe, expect, it } from 'vitest';
import { compareModels, DataError, readCsv, simulateStrategy, strategyTrials } from '../../src/index.js';

describe('strategyTrials', () => {
  it("every candidate's per-period Sharpe ratio, their count and sample variance; the chosen one's DSR from them", async () => {
    const sp = await readCsv('fixtures/sp500-2000.csv');
    const c = await compareModels(sp, ['drift', 'ma:5', 'ma:20'], { testSize: 120, resamples: 10 });
    const results = Object.values(c.results);
    const t = strategyTrials(results, 'daily', { costBps: 10 });
    expect(t.trials).toBe(4);
    results.forEach((r, i) =>
      expect(t.sharpes[i] * Math.sqrt(252)).toBeCloseTo(
        simulateStrategy(r, 'daily', { costBps: 10 }).strategy.sharpe,
        12,
      ),
    );
    const m = t.sharpes.reduce((a, b) => a + b, 0) / 4;
    expect(t.trialSharpeVariance).toBeCloseTo(t.sharpes.reduce((a, b) => a + (b - m) ** 2, 0) / 3, 15);
    const chosen = simulateStrategy(results[0], 'daily', {
      costBps: 10,
      trials: t.trials,
      trialSharpeVariance: t.trialSharpeVariance,
    });
    // More trials with the same spread: a higher bar, a lower deflated Sharpe ratio.
    const more = simulateStrategy(results[0], 'daily', {
      costBps: 10,
      trials: 40,
      trialSharpeVariance: t.trialSharpeVariance,
    });
    expect(more.strategy.deflatedSharpe!).toBeLessThan(chosen.strategy.deflatedSharpe!);
    expect(strategyTrials([results[0]], 'daily').trialSharpeVariance).toBe(0);
    expect(() => strategyTrials([], 'daily')).toThrow(DataError);
  });
});
