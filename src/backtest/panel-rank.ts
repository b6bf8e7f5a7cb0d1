/** A panel backtest's one-step forecasts as M6-style rank forecasts (`rankForecast: 'quintiles'`). */
import { rankForecast, type RankForecastPoint, type RankForecastResult } from '../stats/rank-forecast.js';
import type { QuantileBacktest } from './quantile-results.js';

/** The parts of a panel backtest result that ranking reads. */
interface RankedPanel {
  points: readonly RankForecastPoint[];
  quantiles?: Pick<QuantileBacktest, 'levels'>;
  bySymbol: Record<string, { quantiles?: Pick<QuantileBacktest, 'points'> }>;
}

/**
 * The rank forecast of a panel backtest: every symbol's step-0 forecasts, with their price quantiles when the model
 * gave them (the quintile probabilities then come from those quantiles, else from each symbol's past errors).
 * @param result - the panel backtest
 * @param periodsPerYear - annualizes the information ratio
 * @throws {@link DataError} when fewer than 2 dates have 5 symbols with a forecast distribution
 * @internal
 */
export function panelRankForecast(result: RankedPanel, periodsPerYear: number): RankForecastResult {
  const levels = result.quantiles?.levels;
  const firstSteps = result.points.filter((p) => p.step === 0);
  if (!levels) return rankForecast(firstSteps, { rankForecast: 'quintiles', periodsPerYear });
  // A symbol's quantile points carry no symbol: they are found by their date within the symbol's own result.
  const bySymbol = new Map(
    Object.entries(result.bySymbol).map(([symbol, s]) => [
      symbol,
      new Map((s.quantiles?.points ?? []).filter((q) => q.step === 0).map((q) => [q.timestamp, q.quantiles])),
    ]),
  );
  const points: RankForecastPoint[] = firstSteps.map((p) => {
    const quantiles = bySymbol.get(p.symbol)?.get(p.timestamp);
    return quantiles ? { ...p, quantiles } : p;
  });
  return rankForecast(points, { rankForecast: 'quintiles', periodsPerYear, quantiles: levels });
}
