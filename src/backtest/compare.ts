/** Model comparison: the same walk-forward for several models, ranked, with Theil's U against the naive forecast. */
import type { Series } from '../data/series.js';
import { ValidationError } from '../errors.js';
import { baselineForecast } from './baselines.js';
import type { Metrics } from './metrics.js';
import { parseModelSpec, type BacktestModel } from './models.js';
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
}

/** The outcome of {@link compareModels}. */
export interface Comparison {
  /** Rows ranked by `rankBy` (ascending; descending for directionalAccuracy). */
  rows: ComparisonRow[];
  /** Full results keyed by the model spec as given. */
  results: Record<string, BacktestResult>;
  /** The metric used for ranking. */
  rankBy: keyof Omit<Metrics, 'count'>;
}

/**
 * Backtests several models with the same origins and windows and ranks them.
 *
 * @param series - the data
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
export async function compareModels(series: Series, models: BacktestModel[], options: WalkForwardOptions & { rankBy?: Comparison['rankBy'] } = {}): Promise<Comparison> {
  const { rankBy = 'rmse', ...wf } = options;
  const names = models.map((m) => parseModelSpec(m).name);
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
  const y = series.columnRef(first.target);
  // Naive RMSE on exactly the same points, for Theil's U.
  let sq = 0;
  for (const f of first.folds) {
    const naive = baselineForecast({ kind: 'naive' }, y, { trainStart: 0, origin: f.origin, horizon: first.horizon });
    naive.forEach((p, h) => (sq += (y[f.origin + h] - p) ** 2));
  }
  const naiveRmse = Math.sqrt(sq / first.points.length);
  const sign = rankBy === 'directionalAccuracy' ? -1 : 1;
  // A metric that is not a number (NaN from a diverged model, or undefined) ranks last, whatever the direction.
  const key = (m: Metrics) => (Number.isFinite(m[rankBy]) ? sign * m[rankBy] : Infinity);
  const rows = Object.values(results)
    .map((r) => ({ rank: 0, model: r.model, metrics: r.metrics, theilU: r.metrics.rmse / naiveRmse }))
    .sort((a, b) => key(a.metrics) - key(b.metrics) || 0)
    .map((row, i) => ({ ...row, rank: i + 1 }));
  return { rows, results, rankBy };
}
