/** Charts that tell skill from luck: a result among its random baselines, the PIT histogram, and coverage by level. */
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from './charts.js';
import type { LevelCoverage, PitHistogram } from '../stats/calibration.js';
import type { RandomBaseline } from '../stats/random-baselines.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
const pct = (p: number) => `${Math.round(p * 1000) / 10}%`;

/**
 * The histogram of the random baselines' Sharpe (or information) ratios, with the result's own ratio as a red rule
 * and its percentile in the title.
 *
 * @param baseline - a {@link RandomBaseline} (from `randomSignalBaseline`, a strategy's `randomSignals`, or a rank
 * forecast's `randomPortfolios`)
 * @param options - a `title`, and the `label` of the ratio (default `Sharpe ratio`)
 * @returns SVG markup
 * @example
 * ```ts
 * import { randomBaselineChart, randomSignalBaseline } from 'stockcast';
 * const market = Array.from({ length: 200 }, (_, t) => 0.01 * Math.sin(t * 1.7));
 * const positions = market.map((r) => (r > 0 ? 1 : 0));
 * const svg = await randomBaselineChart(randomSignalBaseline(positions, market, { randomBaselines: 200 }));
 * ```
 */
export async function randomBaselineChart(
  baseline: RandomBaseline,
  options: { title?: string; label?: string } = {},
): Promise<string> {
  const label = options.label ?? 'Sharpe ratio';
  const title =
    options.title ?? `${label} among ${baseline.count} random signals: percentile ${baseline.percentile.toFixed(1)}`;
  return renderSvg({
    $schema: SCHEMA,
    title,
    width: 760,
    height: 240,
    layer: [
      {
        data: { values: baseline.values.map((value) => ({ value })) },
        mark: { type: 'bar', color: '#9ecae1' },
        encoding: {
          x: { field: 'value', type: 'quantitative', bin: { maxbins: 40 }, title: label },
          y: { aggregate: 'count', type: 'quantitative', title: 'random baselines' },
        },
      },
      {
        data: { values: [{ value: baseline.value, what: 'this result' }] },
        mark: { type: 'rule', color: '#d62728', strokeWidth: 2 },
        encoding: { x: { field: 'value', type: 'quantitative' }, tooltip: { field: 'what', type: 'nominal' } },
      },
    ],
  } as TopLevelSpec);
}

/**
 * The PIT histogram of quantile forecasts: each bin's density (share of outcomes over its probability width), so
 * calibrated forecasts give bars at 1 (the dashed line); a U shape says the quantiles are too narrow.
 *
 * @param histogram - a {@link PitHistogram} (from `pit`, or a backtest's `quantiles.pit`)
 * @param options - a `title`
 * @returns SVG markup
 * @example
 * ```ts
 * import { pit, pitChart } from 'stockcast';
 * const points = [-1.5, -0.2, 0.3, 1.2, 2.5].map((actual) => ({ actual, quantiles: [-1, 0, 1] }));
 * const svg = await pitChart(pit(points, [0.1, 0.5, 0.9]));
 * ```
 */
export async function pitChart(histogram: PitHistogram, options: { title?: string } = {}): Promise<string> {
  const rows = histogram.bins.map((b) => ({
    lower: b.lower,
    upper: b.upper,
    density: b.count / histogram.count / b.expected,
    count: b.count,
  }));
  const p = histogram.chiSquare.pValue;
  const shown = p < 1e-4 ? p.toExponential(1) : p.toFixed(4);
  return renderSvg({
    $schema: SCHEMA,
    title: options.title ?? `PIT histogram of ${histogram.count} forecasts (uniformity p-value ${shown})`,
    width: 760,
    height: 220,
    layer: [
      {
        data: { values: rows },
        mark: { type: 'rect', color: '#6baed6', stroke: 'white' },
        encoding: {
          x: {
            field: 'lower',
            type: 'quantitative',
            title: 'probability (the forecast quantile levels)',
            scale: { domain: [0, 1] },
          },
          x2: { field: 'upper' },
          y: { field: 'density', type: 'quantitative', title: 'density (1 = calibrated)' },
          y2: { datum: 0 },
          tooltip: [{ field: 'count', type: 'quantitative' }],
        },
      },
      {
        data: { values: [{ y: 1 }] },
        mark: { type: 'rule', strokeDash: [5, 3], color: '#333' },
        encoding: { y: { field: 'y', type: 'quantitative' } },
      },
    ],
  } as TopLevelSpec);
}

/**
 * Observed against nominal coverage of every quantile level, with the diagonal a calibrated forecast lies on.
 *
 * @param coverage - one {@link LevelCoverage} per level (from `coverageByLevel`, or a backtest's
 * `quantiles.coverageByLevel`)
 * @param options - a `title`
 * @returns SVG markup
 * @example
 * ```ts
 * import { coverageByLevel, coverageByLevelChart } from 'stockcast';
 * const points = [-1.5, -0.2, 0.3, 1.2, 2.5].map((actual) => ({ actual, quantiles: [-1, 0, 1] }));
 * const svg = await coverageByLevelChart(coverageByLevel(points, [0.1, 0.5, 0.9]));
 * ```
 */
export async function coverageByLevelChart(
  coverage: readonly LevelCoverage[],
  options: { title?: string } = {},
): Promise<string> {
  const rows = coverage.map((c) => ({
    nominal: c.nominal,
    observed: c.observed,
    label: `${pct(c.nominal)}: ${pct(c.observed)}`,
  }));
  return renderSvg({
    $schema: SCHEMA,
    title: options.title ?? 'Coverage by quantile level: observed against nominal',
    width: 360,
    height: 360,
    layer: [
      {
        data: {
          values: [
            { x: 0, y: 0 },
            { x: 1, y: 1 },
          ],
        },
        mark: { type: 'line', strokeDash: [5, 3], color: '#999' },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: 'nominal', axis: { format: '%' }, scale: { domain: [0, 1] } },
          y: { field: 'y', type: 'quantitative', title: 'observed', axis: { format: '%' }, scale: { domain: [0, 1] } },
        },
      },
      {
        data: { values: rows },
        mark: { type: 'line', point: true, color: '#2171b5' },
        encoding: {
          x: { field: 'nominal', type: 'quantitative' },
          y: { field: 'observed', type: 'quantitative' },
          tooltip: { field: 'label', type: 'nominal' },
        },
      },
    ],
  } as TopLevelSpec);
}
