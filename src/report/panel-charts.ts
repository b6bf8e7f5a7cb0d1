/** Small multiples for panel backtests: one panel of actual vs forecast lines per symbol, each on its own scale. */
import type { TopLevelSpec } from 'vega-lite';
import { DataError } from '../errors.js';
import type { PanelBacktestResult } from '../backtest/panel-walk-forward.js';
import { renderSvg } from './charts.js';

/**
 * Draws a panel backtest as small multiples: one chart per symbol (its own y scale), the actual values and each
 * model's one-step-ahead forecasts (the first step of every origin).
 *
 * @param results - the backtests of several models on the same panel and origins
 * @param options - `columns` of the grid (default 3)
 * @returns the SVG markup
 * @throws {@link DataError} when there are no results
 * @example
 * ```ts
 * import { comparePanelModels, panelBacktestChart, readPanelCsv } from 'stockcast';
 * const rows = await comparePanelModels(await readPanelCsv('fixtures/stocks.csv'), ['naive', 'drift'], { testSize: 12 });
 * const svg = await panelBacktestChart(rows.map((r) => r.result));
 * ```
 */
export async function panelBacktestChart(
  results: PanelBacktestResult[],
  options: { columns?: number } = {},
): Promise<string> {
  if (results.length === 0) throw new DataError('panelBacktestChart needs at least one backtest result');
  const first = results[0];
  const rows: Array<{ symbol: string; date: string; value: number; series: string }> = [];
  const seen = new Set<string>();
  for (const p of first.points) {
    const key = `${p.symbol}|${p.timestamp}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({ symbol: p.symbol, date: new Date(p.timestamp).toISOString(), value: p.actual, series: 'actual' });
  }
  for (const r of results)
    for (const p of r.points)
      if (p.step === 0)
        rows.push({ symbol: p.symbol, date: new Date(p.timestamp).toISOString(), value: p.predicted, series: r.model });
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: first.horizonMean
      ? `${first.target}: mean of the next ${first.horizon} values, actual vs forecasts, per symbol`
      : `${first.target}: actual vs one-step forecasts, per symbol`,
    data: { values: rows },
    facet: { field: 'symbol', type: 'nominal', title: null },
    columns: options.columns ?? 3,
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 240,
      height: 140,
      mark: { type: 'line', strokeWidth: 1.2 },
      encoding: {
        x: { field: 'date', type: 'temporal', title: null },
        y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
        color: { field: 'series', type: 'nominal', title: null },
      },
    },
  };
  return renderSvg(spec);
}
