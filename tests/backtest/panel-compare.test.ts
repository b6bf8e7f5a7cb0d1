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
