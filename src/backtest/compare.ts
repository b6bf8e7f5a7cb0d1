/** Model comparison: the same walk-forward for several models, ranked, with Theil's U against the naive forecast. */
import { Panel } from '../data/panel.js';
import type { Series } from '../data/series.js';
import { comparePanelModels, type PanelComparisonRow, type PanelWalkForwardOptions } from './panel-walk-forward.js';
import { ValidationError } from '../errors.js';
import type { Metrics } from './metrics.js';
import { modelName, resolveModel, type ModelSpec } from '../models/resolve.js';
import { walkForward, type BacktestResult, type WalkForwardOptions } from './walk-forward.js';

/** One row of a comparison table. */
export interface ComparisonRow {
  /** 1 = best by the ranking metric. */
  rank: number;
  /** The model spec, as given. */
  model: string;
  /** Pooled metrics. */
  metrics: Metrics;
  /** Theil's U: this model's RMSE / the naive forecast's RMSE on the same points (< 1 beats naive). */
  theilU: number;
  /** CRPS from the model's quantiles, when it gave them (`quantiles` option) and the levels support it (see `crpsSupport`). */
  crps?: number;
}

/** The outcome of {@link compareModels}. */
export interface Comparison {
  /** Rows ranked by `rankBy` (ascending; descending for directionalAccuracy). */
  rows: ComparisonRow[];
  /** Full results keyed by the model spec as given. */
  results: Record<string, BacktestResult>;
  /** The metric used for ranking. */
  rankBy: keyof Omit<Metrics, 'count'>;
  /** In words, how each recurrent model does against the naive forecast (whether it loses, and by how much). */
  findings: string[];
}

/** One sentence on a recurrent model against the naive forecast, from Theil's U. */
function finding(model: string, theilU: number): string {
  if (!Number.isFinite(theilU)) return `${model} produced no finite forecasts; use the naive forecast.`;
  const pct = Math.abs(theilU - 1) * 100;
  if (theilU > 1) return `${model} loses to the naive forecast (the last value): its RMSE is ${pct.toFixed(1)}% higher (Theil's U ${theilU.toFixed(3)}); on this data the naive forecast is the better model.`;
  if (theilU < 1) return `${model} beats the naive forecast (the last value): its RMSE is ${pct.toFixed(1)}% lower (Theil's U ${theilU.toFixed(3)}).`;
  return `${model} ties the naive forecast (Theil's U 1.000).`;
}

/**
 * Backtests several models with the same origins and windows and ranks them.
 *
 * @param input - the data; a `Panel` runs {@link comparePanelModels} and returns its rows
 * @param models - spec strings or objects
 * @param options - walk-forward options plus `rankBy` (default `rmse`)
 * @returns ranked rows and the full results
 * @throws {@link DataError} and {@link ValidationError} as {@link walkForward} does, and ValidationError when two models share a display name
 * @example
 * ```ts
 * import { compareModels, readCsv } from 'stockcast';
 * const sp = await readCsv('fixtures/sp500-2000.csv');
 * const { rows } = await compareModels(sp, ['naive', 'drift', 'ma:20'], { target: 'close', testSize: 250 });
 * console.table(rows.map((r) => ({ model: r.model, rmse: r.metrics.rmse, theilU: r.theilU })));
 * ```
 */
export async function compareModels(input: Series, models: ModelSpec[], options?: WalkForwardOptions & { rankBy?: Comparison['rankBy'] }): Promise<Comparison>;
/** A panel: the same as {@link comparePanelModels} (pooled ranking, per-symbol results). */
export async function compareModels(panel: Panel, models: ModelSpec[], options?: PanelWalkForwardOptions & { rankBy?: keyof Omit<Metrics, 'count'> }): Promise<PanelComparisonRow[]>;
export async function compareModels(input: Series | Panel, models: ModelSpec[], options: (WalkForwardOptions | PanelWalkForwardOptions) & { rankBy?: Comparison['rankBy'] } = {}): Promise<Comparison | PanelComparisonRow[]> {
  if (input instanceof Panel) return comparePanelModels(input, models, options as PanelWalkForwardOptions);
  return compareSeries(input, models, options as WalkForwardOptions & { rankBy?: Comparison['rankBy'] });
}

async function compareSeries(series: Series, models: ModelSpec[], options: WalkForwardOptions & { rankBy?: Comparison['rankBy'] }): Promise<Comparison> {
  const { rankBy = 'rmse', ...wf } = options;
  const names = models.map(modelName);
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (repeated.length > 0) {
    throw new ValidationError('models', [{ path: '', message: `two models are named "${repeated[0]}"; results are keyed by name, so give each model its own (objects take a \`name\`)` }]);
  }
  const results: Record<string, BacktestResult> = {};
  for (const model of models) {
    const r = await walkForward(series, model, wf);
    results[r.model] = r;
  }
  const first = Object.values(results)[0];
  // Naive RMSE on exactly the same points, for Theil's U: the naive forecast of every point is y[t-1], the last
  // value known at its origin (read from the points, so a derived target such as rv:5 needs no second pass).
  let sq = 0;
  for (const p of first.points) sq += (p.actual - p.lastKnown) ** 2;
  const naiveRmse = Math.sqrt(sq / first.points.length);
  const rows = rankRows(
    Object.values(results).map((r) => ({ rank: 0, model: r.model, metrics: r.metrics, theilU: r.metrics.rmse / naiveRmse, ...(r.quantiles?.metrics.crps !== undefined ? { crps: r.quantiles.metrics.crps } : {}) })),
    rankBy,
  );
  const learned = new Set<string>();
  for (const m of models) {
    const resolved = await resolveModel(m, { forecaster: wf.forecaster });
    if (resolved.definition.learned) learned.add(resolved.name);
  }
  const findings = rows.filter((r) => learned.has(r.model)).map((r) => finding(r.model, r.theilU));
  return { rows, results, rankBy, findings };
}

/**
 * Sorts rows by a metric (lower is better, except `directionalAccuracy`) and numbers them from 1. A metric that
 * is not a number (NaN from a diverged model, or undefined) ranks last, whatever the direction; ties keep their order.
 * @internal
 */
export function rankRows<R extends { rank: number; metrics: Metrics }>(rows: R[], rankBy: Comparison['rankBy']): R[] {
  const sign = rankBy === 'directionalAccuracy' ? -1 : 1;
  const key = (m: Metrics) => (Number.isFinite(m[rankBy]) ? sign * m[rankBy] : Infinity);
  return [...rows].sort((a, b) => key(a.metrics) - key(b.metrics) || 0).map((row, i) => ({ ...row, rank: i + 1 }));
}
