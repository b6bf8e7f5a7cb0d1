import { beforeAll, describe, expect, it } from 'vitest';
import {
  comparePanelModels,
  dieboldMariano,
  dieboldMarianoPanel,
  rankForecast,
  readPanelCsv,
  walkForwardPanel,
  ValidationError,
  type Panel,
  type PanelBacktestResult,
  type PanelComparison,
} from '../../src/index.js';

/** Squared-error differentials of a model against naive at the points both forecast, keyed by symbol and date. */
function differentials(model: PanelBacktestResult, bench: PanelBacktestResult) {
  const b = new Map(bench.points.map((p) => [`${p.symbol}@${p.timestamp}`, p]));
  return model.points.flatMap((p) => {
    const q = b.get(`${p.symbol}@${p.timestamp}`);
    return q
      ? [
          {
            symbol: p.symbol,
            timestamp: p.timestamp,
            differential: (p.actual - p.predicted) ** 2 - (q.actual - q.predicted) ** 2,
            e1: p.actual - p.predicted,
            e2: q.actual - q.predicted,
          },
        ]
      : [];
  });
}

describe('comparePanelModels: rows, findings and tests', () => {
  let stocks: Panel;
  let c: PanelComparison;
  beforeAll(async () => {
    stocks = await readPanelCsv('fixtures/stocks.csv');
    c = await comparePanelModels(stocks, ['drift', 'mean'], { testSize: 12, resamples: 200 });
  });

  it('returns { rows, findings, tests } that is still the array of rows (deprecated)', () => {
    expect(Array.isArray(c)).toBe(true);
    expect(c.length).toBe(3);
    expect([...c]).toEqual(c.rows);
    expect(c.rows.map((r) => r.result.model).sort()).toEqual(['drift', 'mean', 'naive']);
    expect(c.benchmark).toBe('naive');
    expect(c.findings).toHaveLength(2);
    expect(c.tests).toMatchObject({ benchmark: 'naive', metric: 'rmse', periods: 12 });
    expect(c.rows.find((r) => r.result.model === 'naive')!.dieboldMariano).toBeNull();
  });

  it('the pooled test averages the differentials over the symbols at each date; each symbol has its own', () => {
    const naive = c.rows.find((r) => r.result.model === 'naive')!.result;
    for (const model of ['drift', 'mean']) {
      const row = c.rows.find((r) => r.result.model === model)!;
      const d = differentials(row.result, naive);
      const pooled = dieboldMarianoPanel(d);
      expect(row.dieboldMariano!.statistic).toBeCloseTo(pooled.statistic, 12);
      expect(row.dieboldMariano!.pValue).toBeCloseTo(pooled.pValue, 12);
      for (const symbol of stocks.symbols) {
        const mine = d.filter((x) => x.symbol === symbol);
        const t = dieboldMariano(
          mine.map((x) => x.e1),
          mine.map((x) => x.e2),
        );
        expect(row.dieboldMariano!.bySymbol[symbol].statistic).toBeCloseTo(t.statistic, 12);
      }
      const significant = row.dieboldMariano!.pValue < 0.05;
      expect(row.verdict === 'beats' || row.verdict === 'loses to').toBe(significant);
      expect(/ (beats|loses to) /.test(c.findings.find((f) => f.startsWith(`${model} `))!)).toBe(significant);
    }
    expect(c.rows.find((r) => r.result.model === 'mean')!.verdict).toBe('loses to');
    expect(c.rows.find((r) => r.result.model === 'drift')!.verdict).toBe('ties');
  });

  it('rankForecast: M6 quintile forecasts of the one-step forecasts, equal to rankForecast on the points', async () => {
    const r = await walkForwardPanel(stocks, 'drift', { testSize: 12, rankForecast: 'quintiles' });
    const direct = rankForecast(
      r.points.filter((p) => p.step === 0),
      { periodsPerYear: 12 },
    );
    expect(r.rankForecast!.rps).toBeCloseTo(direct.rps, 12);
    expect(r.rankForecast!.uniformRps).toBeCloseTo(0.16, 12);
    expect(r.rankForecast!.informationRatio).toBeCloseTo(direct.informationRatio, 12);
    expect(r.rankForecast!.randomPortfolios!.count).toBe(1000);
    const compared = await comparePanelModels(stocks, ['drift'], {
      testSize: 12,
      rankForecast: 'quintiles',
      resamples: 50,
    });
    expect(compared.rows.every((row) => row.result.rankForecast !== undefined)).toBe(true);
    await expect(
      walkForwardPanel(stocks, 'drift', { testSize: 12, rankForecast: 'quintiles', targetTransform: 'logret' }),
    ).rejects.toThrow(ValidationError);
  });
});

describe('comparePanelModels with horizonMean', () => {
  it('scores each symbol and origin by the mean of its H steps, and tests with the overlap of H dates', async () => {
    const full = await readPanelCsv('fixtures/stocks.csv');
    // One symbol ends 2 dates before the others: its last origins' spans run past its rows and have no mean.
    const cut = full.symbols[0];
    const stocks = full.map((s, symbol) => (symbol === cut ? s.slice(0, s.length - 2) : s));
    const o = { horizon: 3, step: 1, testSize: 15 };
    const steps = await walkForwardPanel(stocks, 'drift', o);
    const c = await comparePanelModels(stocks, ['drift', 'mean'], { ...o, horizonMean: true, resamples: 100 });
    const drift = c.rows.find((r) => r.result.model === 'drift')!;
    // The expected means, from the steps: symbol and origin with all 3 steps only.
    const groups = new Map<string, typeof steps.points>();
    for (const p of steps.points) {
      const key = `${p.symbol}@${p.originTimestamp}`;
      groups.set(key, [...(groups.get(key) ?? []), p]);
    }
    const expected = [...groups.values()]
      .filter((g) => g.length === 3)
      .map((g) => ({
        symbol: g[0].symbol,
        timestamp: g[2].timestamp,
        actual: (g[0].actual + g[1].actual + g[2].actual) / 3,
        predicted: (g[0].predicted + g[1].predicted + g[2].predicted) / 3,
      }));
    expect([...groups.values()].some((g) => g.length < 3 && g[0].symbol === cut)).toBe(true);
    const got = drift.result.points.map((p) => ({
      symbol: p.symbol,
      timestamp: p.timestamp,
      actual: p.actual,
      predicted: p.predicted,
    }));
    expect(got.length).toBe(expected.length);
    got.forEach((p, i) => {
      expect([p.symbol, p.timestamp]).toEqual([expected[i].symbol, expected[i].timestamp]);
      expect(p.actual).toBeCloseTo(expected[i].actual, 10);
      expect(p.predicted).toBeCloseTo(expected[i].predicted, 10);
    });
    expect(drift.result.horizonMean).toBe(true);
    // Pooled metrics per step leave MASE out (NaN): each point's scale is its symbol's.
    expect(drift.result.perStep).toEqual([{ ...drift.result.metrics, mase: Number.NaN }]);
    const naive = c.rows.find((r) => r.result.model === 'naive')!.result;
    const d = differentials(drift.result, naive);
    const pooled = dieboldMarianoPanel(d, { horizon: 3 });
    expect(drift.dieboldMariano!.statistic).toBeCloseTo(pooled.statistic, 12);
    expect(drift.dieboldMariano!.perStep).toBeUndefined();
    const mine = d.filter((x) => x.symbol === full.symbols[1]);
    const t = dieboldMariano(
      mine.map((x) => x.e1),
      mine.map((x) => x.e2),
      { horizon: 3 },
    );
    expect(drift.dieboldMariano!.bySymbol[full.symbols[1]].statistic).toBeCloseTo(t.statistic, 12);
  });

  it('refuses quantiles and rank forecasts, which read the steps', async () => {
    const stocks = await readPanelCsv('fixtures/stocks.csv');
    const o = { horizon: 2, testSize: 12, horizonMean: true };
    await expect(walkForwardPanel(stocks, 'drift', { ...o, rankForecast: 'quintiles' })).rejects.toThrow(
      ValidationError,
    );
    await expect(walkForwardPanel(stocks, 'ewma', { ...o, quantiles: [0.1, 0.9] })).rejects.toThrow(/horizonMean/);
  });
});
