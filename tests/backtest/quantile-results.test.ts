import { describe, expect, it } from 'vitest';
import { coverageByLevel, pit, readCsv, walkForward, walkForwardPanel } from '../../src/index.js';
import { syntheticPanel } from '../helpers/panels.js';
import { quantileBacktest, quantileResults } from '../../src/backtest/quantile-results.js';

describe('quantile results: calibration beside the metrics', () => {
  it('every quantile backtest carries its PIT histogram and coverage by level, in JSON-friendly shapes', () => {
    const y = [1, 2, 3, 4, 5, 6, 7, 8];
    const folds = [0, 2, 4, 6].map((origin) => ({
      origin,
      quantiles: [
        [y[origin] - 1, y[origin] + 0.5],
        [y[origin + 1] - 0.2, y[origin + 1] + 1],
      ],
    }));
    const { quantiles } = quantileResults(folds, y, (row) => row * 1000, [0.1, 0.9], false);
    expect(quantiles.pit).toEqual(pit(quantiles.points, [0.1, 0.9]));
    expect(quantiles.coverageByLevel).toEqual(coverageByLevel(quantiles.points, [0.1, 0.9]));
    expect(quantiles.pit!.bins.map((b) => b.count)).toEqual([0, 8, 0]);
    expect(quantiles.coverageByLevel!.map((c) => [c.nominal, c.observed])).toEqual([
      [0.1, 0],
      [0.9, 1],
    ]);
    expect(JSON.parse(JSON.stringify(quantiles.pit))).toEqual(quantiles.pit);
    expect(quantileBacktest([], [0.5], 1).pit).toBeUndefined();
  });

  it('a GARCH-t backtest of returns has a PIT histogram whose counts add up to its points', async () => {
    const sp = await readCsv('fixtures/sp500-2000.csv');
    const levels = [0.05, 0.25, 0.5, 0.75, 0.95];
    const r = await walkForward(sp, 'garch-t', {
      targetTransform: 'logret',
      quantiles: levels,
      testSize: 120,
      refit: 60,
    });
    const q = r.quantiles!;
    expect(q.pit!.count).toBe(120);
    expect(q.pit!.bins.reduce((s, b) => s + b.count, 0)).toBe(120);
    expect(q.coverageByLevel!.map((c) => c.nominal)).toEqual(levels);
    // The 5%-95% interval coverage of the metrics is the difference of the two levels' observed coverage (no ties).
    expect(q.coverageByLevel![4].observed - q.coverageByLevel![0].observed).toBeCloseTo(
      q.metrics.intervals[0].coverage,
      12,
    );
  });
});

describe('panel quantile results', () => {
  it('pooled over the symbols, with a PIT histogram and coverage by level of every point', async () => {
    const panel = syntheticPanel({
      symbols: 3,
      days: 300,
      seed: 5,
      columns: ['close'],
      raggedStart: 0,
      delisted: 0,
      gapRate: 0,
    });
    const levels = [0.1, 0.5, 0.9];
    const r = await walkForwardPanel(panel, 'garch', {
      targetTransform: 'logret',
      quantiles: levels,
      testSize: 30,
      refit: 30,
    });
    const pooled = r.quantiles!;
    expect(pooled.pit).toEqual(pit(pooled.points, levels));
    expect(pooled.coverageByLevel).toEqual(coverageByLevel(pooled.points, levels));
    expect(pooled.pit!.count).toBe(90);
    for (const symbol of panel.symbols) expect(r.bySymbol[symbol].quantiles!.pit!.count).toBe(30);
  });
});
