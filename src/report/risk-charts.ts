/** Charts for probabilistic forecasts and VaR backtests: the quantile fan, coverage by horizon step and the exceedance timeline. */
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from './charts.js';
import type { ProbabilisticMetrics, QuantileForecastPoint } from '../backtest/probabilistic.js';

const iso = (t: number) => new Date(t).toISOString();
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
const pct = (p: number) => `${Math.round(p * 1000) / 10}%`;

/**
 * The quantile fan: nested bands for each central interval (widest palest), the median when 0.5 is a level, and
 * the actual values, for the forecasts of one horizon step.
 *
 * @param points - quantile forecasts with their actual values
 * @param options - the `levels` (increasing), the horizon `step` to draw (default 0), a `title` and the `target` name
 * @returns SVG markup
 * @example
 * ```ts
 * import { quantileFanChart } from 'stockcast';
 * const points = [0, 1, 2].map((i) => ({ timestamp: Date.UTC(2024, 0, 1 + i), step: 0, actual: i, quantiles: [i - 1, i, i + 1] }));
 * const svg = await quantileFanChart(points, { levels: [0.05, 0.5, 0.95] });
 * ```
 */
export async function quantileFanChart(
  points: readonly QuantileForecastPoint[],
  options: { levels: readonly number[]; step?: number; title?: string; target?: string },
): Promise<string> {
  const { levels } = options;
  const step = options.step ?? 0;
  const pts = points.filter((p) => p.step === step);
  const bands: { date: string; lower: number; upper: number; interval: string }[] = [];
  levels.forEach((a, i) => {
    const j = levels.findIndex((b) => Math.abs(b - (1 - a)) < 1e-9);
    if (a < 0.5 && j > i)
      for (const p of pts)
        bands.push({
          date: iso(p.timestamp),
          lower: p.quantiles[i],
          upper: p.quantiles[j],
          interval: `${pct(1 - 2 * a)} interval`,
        });
  });
  const mid = levels.findIndex((q) => Math.abs(q - 0.5) < 1e-9);
  const lines = pts.flatMap((p) => [
    { date: iso(p.timestamp), value: p.actual, series: 'actual' },
    ...(mid >= 0 ? [{ date: iso(p.timestamp), value: p.quantiles[mid], series: 'median' }] : []),
  ]);
  const y = options.target ?? 'value';
  return renderSvg({
    $schema: SCHEMA,
    title: options.title ?? `Quantile forecasts, step ${step + 1}`,
    width: 760,
    height: 280,
    layer: [
      {
        data: { values: bands },
        mark: { type: 'area', opacity: 0.3 },
        encoding: {
          x: { field: 'date', type: 'temporal', title: null },
          y: { field: 'lower', type: 'quantitative', title: y, scale: { zero: false } },
          y2: { field: 'upper' },
          color: { field: 'interval', type: 'nominal', title: null, scale: { scheme: 'blues' } },
        },
      },
      {
        data: { values: lines },
        mark: { type: 'line', strokeWidth: 1.2 },
        encoding: {
          x: { field: 'date', type: 'temporal' },
          y: { field: 'value', type: 'quantitative' },
          strokeDash: { field: 'series', type: 'nominal', title: null },
        },
      },
    ],
    resolve: { scale: { color: 'independent' } },
  } as TopLevelSpec);
}

/**
 * Empirical coverage of each central interval by horizon step, with its nominal coverage as a dashed line.
 *
 * @param perStep - probabilistic metrics per step (from `probabilisticMetricsPerStep`)
 * @param options - a `title`
 * @returns SVG markup
 * @example
 * ```ts
 * import { coverageChart, probabilisticMetricsPerStep } from 'stockcast';
 * const pts = [0, 1].map((step) => ({ timestamp: 0, step, actual: step, quantiles: [0, 1] }));
 * const svg = await coverageChart(probabilisticMetricsPerStep(pts, { levels: [0.1, 0.9], horizon: 2 }));
 * ```
 */
export async function coverageChart(
  perStep: readonly ProbabilisticMetrics[],
  options: { title?: string } = {},
): Promise<string> {
  const rows = perStep.flatMap((m, h) =>
    m.intervals.flatMap((iv) => [
      { step: h + 1, value: iv.coverage, interval: `${pct(iv.nominal)} interval`, kind: 'empirical' },
      { step: h + 1, value: iv.nominal, interval: `${pct(iv.nominal)} interval`, kind: 'nominal' },
    ]),
  );
  return renderSvg({
    $schema: SCHEMA,
    title: options.title ?? 'Interval coverage by horizon step',
    width: 760,
    height: 220,
    data: { values: rows },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'horizon step', axis: { format: 'd', tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', title: 'coverage', axis: { format: '%' }, scale: { domain: [0, 1] } },
      color: { field: 'interval', type: 'nominal', title: null },
      strokeDash: {
        field: 'kind',
        type: 'nominal',
        title: null,
        scale: {
          domain: ['empirical', 'nominal'],
          range: [
            [1, 0],
            [5, 3],
          ],
        },
      },
    },
  } as TopLevelSpec);
}

/**
 * The exceedance timeline of a VaR backtest: returns, the VaR line, and each exceedance (a return below its VaR)
 * marked in red.
 *
 * @param data - `timestamps`, realized `returns` and the `valueAtRisk` forecast for each, of one length
 * @param options - the VaR `level` (for the title) and a `model` name
 * @returns SVG markup
 * @example
 * ```ts
 * import { exceedanceChart } from 'stockcast';
 * const t = [0, 1, 2].map((i) => Date.UTC(2024, 0, 1 + i));
 * const svg = await exceedanceChart({ timestamps: t, returns: [0.5, -3, 1], valueAtRisk: [-2, -2, -2] }, { level: 0.05 });
 * ```
 */
export async function exceedanceChart(
  data: { timestamps: ArrayLike<number>; returns: ArrayLike<number>; valueAtRisk: ArrayLike<number> },
  options: { level: number; model?: string },
): Promise<string> {
  const rows = Array.from(data.returns, (r, i) => ({
    date: iso(data.timestamps[i]),
    r,
    v: data.valueAtRisk[i],
    hit: r < data.valueAtRisk[i] ? 'exceedance' : 'return',
  }));
  const hits = rows.filter((x) => x.hit === 'exceedance').length;
  return renderSvg({
    $schema: SCHEMA,
    title: `${pct(options.level)} VaR${options.model ? ` (${options.model})` : ''}: ${hits} exceedances in ${rows.length} (${(options.level * rows.length).toFixed(1)} expected)`,
    width: 760,
    height: 260,
    data: { values: rows },
    layer: [
      {
        mark: { type: 'line', strokeWidth: 1, color: '#d62728' },
        encoding: {
          x: { field: 'date', type: 'temporal', title: null },
          y: { field: 'v', type: 'quantitative', title: 'return' },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 14 },
        encoding: {
          x: { field: 'date', type: 'temporal' },
          y: { field: 'r', type: 'quantitative' },
          color: {
            field: 'hit',
            type: 'nominal',
            title: null,
            scale: { domain: ['return', 'exceedance'], range: ['#9ecae1', '#d62728'] },
          },
        },
      },
    ],
  } as TopLevelSpec);
}
