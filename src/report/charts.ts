/** Charts as SVG, rendered in Node with vega-lite + vega (no canvas, and vega's expression interpreter instead of eval). */
import type { TopLevelSpec } from 'vega-lite';
import type { Series } from '../data/series.js';
import type { Forecast } from '../models/recurrent/forecast.js';
import type { HistoryEntry } from '../models/recurrent/training.js';
import type { StrategyResult } from '../backtest/strategy.js';
import type { BacktestResult } from '../backtest/walk-forward.js';

type Row = { date: string; value: number; series: string };
const iso = (t: number) => new Date(t).toISOString();

/**
 * Renders a vega-lite spec to an SVG string.
 * @param spec - a vega-lite specification with inline data
 * @returns the SVG markup
 * @example
 * ```ts
 * import { renderSvg } from 'stockcast';
 * const svg = await renderSvg({ data: { values: [{ x: 1, y: 2 }] }, mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } });
 * ```
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  // Loaded on first use: vega is large, and most users of the SDK never draw.
  const [vega, { compile }, { expressionInterpreter }] = await Promise.all([
    import('vega'),
    import('vega-lite'),
    import('vega-interpreter'),
  ]);
  const runtime = vega.parse(compile(spec).spec, undefined, { ast: true });
  const view = new vega.View(runtime, { renderer: 'none', expr: expressionInterpreter as never });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function lineSpec(title: string, rows: Row[], yTitle: string, dashed: string[] = []): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 760,
    height: 280,
    data: { values: rows },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'date', type: 'temporal', title: null },
      y: { field: 'value', type: 'quantitative', title: yTitle, scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: null },
      strokeDash: { condition: { test: { field: 'series', oneOf: dashed }, value: [5, 3] }, value: [1, 0] },
    },
  };
}

/**
 * The forecast chart: the last `historyPoints` observations and the forecast after them.
 * @param history - the series the forecast was made from
 * @param forecast - the forecast
 * @param options - `historyPoints` (default 250)
 * @returns SVG markup
 * @example
 * ```ts
 * import { createForecaster, forecastChart, readCsv } from 'stockcast';
 * import { writeFileSync } from 'node:fs';
 * const sp = await readCsv('fixtures/sp500-2000.csv');
 * const model = await createForecaster({ lookback: 20, horizon: 5, target: 'close', epochs: 5 }).fit(sp.slice(-500));
 * writeFileSync('forecast.svg', await forecastChart(sp, await model.predict(sp)));
 * ```
 */
export async function forecastChart(
  history: Series,
  forecast: Forecast,
  options: { historyPoints?: number } = {},
): Promise<string> {
  const recent = history.slice(-(options.historyPoints ?? 250));
  const values = recent.columnRef(forecast.target);
  const rows: Row[] = Array.from(values, (v, i) => ({ date: iso(recent.timestampAt(i)), value: v, series: 'history' }));
  // The forecast line starts at the last observation so the two connect.
  rows.push({ date: iso(forecast.origin), value: values[values.length - 1], series: 'forecast' });
  forecast.timestamps.forEach((t, i) => rows.push({ date: iso(t), value: forecast.values[i], series: 'forecast' }));
  const title = `${forecast.target}: forecast of the next ${forecast.values.length}`;
  const { lower, upper, coverage } = forecast;
  if (!lower || !upper) return renderSvg(lineSpec(title, rows, forecast.target, ['forecast']));
  // The prediction interval as a band under the lines.
  const band = Array.from(forecast.timestamps, (t, i) => ({ date: iso(t), lower: lower[i], upper: upper[i] }));
  const lines = lineSpec(title, rows, forecast.target, ['forecast']) as { encoding: object; mark: object };
  return renderSvg({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `${title} (${Math.round((coverage ?? 0) * 100)}% interval)`,
    width: 760,
    height: 280,
    layer: [
      {
        data: { values: band },
        mark: { type: 'area', opacity: 0.25, color: '#4c78a8' },
        encoding: {
          x: { field: 'date', type: 'temporal', title: null },
          y: { field: 'lower', type: 'quantitative', title: forecast.target, scale: { zero: false } },
          y2: { field: 'upper' },
        },
      },
      { data: { values: rows }, mark: lines.mark, encoding: lines.encoding },
    ],
  } as TopLevelSpec);
}

/**
 * The backtest chart: actual values over the test period and each model's forecasts
 * (one-step-ahead points when origins overlap, all points otherwise).
 * @param results - walk-forward results over the same series
 * @returns SVG markup
 * @example
 * ```ts
 * import { backtestChart, compareModels, readCsv } from 'stockcast';
 * const sp = await readCsv('fixtures/sp500-2000.csv');
 * const { results } = await compareModels(sp, ['naive', 'ma:10'], { target: 'close', testSize: 120 });
 * const svg = await backtestChart(Object.values(results));
 * ```
 */
export async function backtestChart(results: BacktestResult[]): Promise<string> {
  const first = results[0];
  const actual = new Map<number, number>();
  for (const p of first.points) actual.set(p.timestamp, p.actual);
  const rows: Row[] = [...actual]
    .sort((a, b) => a[0] - b[0])
    .map(([t, v]) => ({ date: iso(t), value: v, series: 'actual' }));
  for (const r of results) {
    const points = r.step < r.horizon ? r.points.filter((p) => p.step === 0) : r.points;
    for (const p of points) rows.push({ date: iso(p.timestamp), value: p.predicted, series: r.model });
  }
  return renderSvg(
    lineSpec(
      first.horizonMean
        ? `${first.target}: mean of the next ${first.horizon} values, actual vs forecasts`
        : `${first.target}: actual vs forecasts (horizon ${first.horizon})`,
      rows,
      first.target,
      results.map((r) => r.model),
    ),
  );
}

/**
 * Equity curves of a strategy simulation next to buy-and-hold.
 * @param sim - the simulation
 * @param model - the model whose forecasts drove it
 * @returns SVG markup
 * @example
 * ```ts
 * import { equityChart, readCsv, simulateStrategy, walkForward } from 'stockcast';
 * const sp = await readCsv('fixtures/sp500-2000.csv');
 * const r = await walkForward(sp, 'ma:5', { target: 'close', testSize: 250 });
 * const svg = await equityChart(simulateStrategy(r, 'daily'), 'ma:5');
 * ```
 */
export async function equityChart(sim: StrategyResult, model: string): Promise<string> {
  const rows: Row[] = [];
  sim.timestamps.forEach((t, i) => {
    rows.push({ date: iso(t), value: sim.strategy.equity[i], series: `${model} strategy` });
    rows.push({ date: iso(t), value: sim.buyAndHold.equity[i], series: 'buy and hold' });
  });
  return renderSvg(lineSpec('Equity (simulation, not advice)', rows, 'equity'));
}

/**
 * The training loss (and validation loss, when there was validation data) per epoch.
 * @param history - a forecaster's or character model's `training.history`
 * @returns SVG markup
 * @example
 * ```ts
 * import { createForecaster, lossChart, readCsv } from 'stockcast';
 * const s = await readCsv('fixtures/ncsoft-weekly.csv');
 * const m = await createForecaster({ lookback: 5, target: 'stock_price', epochs: 50 }).fit(s);
 * const svg = await lossChart(m.training!.history);
 * ```
 */
export async function lossChart(history: readonly HistoryEntry[]): Promise<string> {
  const rows = history.flatMap((h) => [
    { epoch: h.epoch, value: h.loss, series: 'training loss' },
    ...(h.valLoss !== undefined ? [{ epoch: h.epoch, value: h.valLoss, series: 'validation loss' }] : []),
  ]);
  return renderSvg({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Training loss (scaled units)',
    width: 760,
    height: 200,
    data: { values: rows },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', axis: { format: 'd', tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', title: 'loss', scale: { type: 'log' } },
      color: { field: 'series', type: 'nominal', title: null },
    },
  });
}
