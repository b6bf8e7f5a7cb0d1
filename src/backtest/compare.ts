/**
 * Model comparison: the same walk-forward for several models, ranked, with Theil's U against the naive forecast and
 * tests against a benchmark (Diebold-Mariano per model, Reality Check and SPA over all).
 */
import { Panel } from '../data/panel.js';
import type { Series } from '../data/series.js';
import type { PanelWalkForwardOptions } from './panel-walk-forward.js';
import { comparePanelModels, type PanelComparison } from './panel-compare.js';
import type { ForecastPoint, Metrics } from './metrics.js';
import type { ModelSpec } from '../models/resolve.js';
import { parseOptions } from '../validate.js';
import { verdict, type Verdict } from '../stats/verdict.js';
import {
  CompareOptionsSchema,
  finding,
  planComparison,
  splitCompareOptions,
  type CompareOptions,
  comparisonSetTests,
} from './comparison.js';
import { dieboldMarianoAgainst, type DieboldMarianoResult } from './forecast-tests.js';
import type { ModelSetTests } from './model-set-tests.js';
import { walkForward, type BacktestResult, type WalkForwardOptions } from './walk-forward.js';
import { resolveTargetKind, safeTarget } from './target-kind.js';

/** One row of a comparison table. */
export interface ComparisonRow {
  /** 1 = best by the ranking metric. */
  rank: number;
  /** The model spec, as given. */
  model: string;
  /** Pooled metrics. */
  metrics: Metrics;
  /** Theil's U: this model's RMSE / the naive forecast's RMSE on the same points (a verdict needs a test). */
  theilU: number;
  /** CRPS from the model's quantiles, when it gave them (`quantiles` option) and the levels support it (see `crpsSupport`). */
  crps?: number;
  /** The Diebold-Mariano test against the benchmark on `testLoss` (null for the benchmark itself). */
  dieboldMariano: DieboldMarianoResult | null;
  /** Against the benchmark, from the squared-error test: `beats`/`loses to` only below p 0.05 (null: the benchmark). */
  verdict: Verdict | null;
}

/** The outcome of {@link compareModels}. */
export interface Comparison {
  /** Rows ranked by `rankBy` (ascending; descending for directionalAccuracy), the benchmark among them. */
  rows: ComparisonRow[];
  /** Full results keyed by the model spec as given. */
  results: Record<string, BacktestResult>;
  /** The metric used for ranking. */
  rankBy: keyof Omit<Metrics, 'count'>;
  /** The benchmark's display name. */
  benchmark: string;
  /** In words, each model against the benchmark: a verdict only where the Diebold-Mariano test gives one. */
  findings: string[];
  /** White's Reality Check and Hansen's SPA test of every model against the benchmark on the `rankBy` loss. */
  tests: ModelSetTests;
}

/** Options of {@link compareModels} on a series: the backtest's and the comparison's. */
export type CompareSeriesOptions = WalkForwardOptions & CompareOptions;

/**
 * Backtests several models with the same origins and windows, ranks them, and tests each against a benchmark:
 * Diebold-Mariano per model (one test per forecast step, or one on the means with `horizonMean`; verdicts "beats" or "loses to" only when its p-value on
 * squared error is below 0.05, else "ties"), and White's Reality Check and Hansen's SPA over all of them.
 *
 * @param input - the data; a `Panel` runs {@link comparePanelModels} and returns its result
 * @param models - spec strings or objects
 * @param options - walk-forward options plus `rankBy` (default `rmse`), `benchmark`, `testLoss`, `blockLength`,
 *   `resamples` and `seed` (see {@link CompareOptionsSchema})
 * @returns ranked rows with their tests, the full results, findings in words and the Reality Check and SPA test
 * @throws {@link DataError} and {@link ValidationError} as {@link walkForward} does, and ValidationError when two
 *   models share a display name or `testLoss` is `qlike` on a target that is not a volatility
 * @example
 * ```ts
 * import { compareModels, readCsv } from 'stockcast';
 * const sp = await readCsv('fixtures/sp500-2000.csv');
 * const { rows, findings } = await compareModels(sp, ['naive', 'drift', 'ma:20'], { target: 'close', testSize: 250 });
 * console.table(rows.map((r) => ({ model: r.model, rmse: r.metrics.rmse, p: r.dieboldMariano?.pValue })));
 * console.log(findings); // e.g. "drift ties the naive forecast (the last value): ..."
 * ```
 */
export async function compareModels(
  input: Series,
  models: ModelSpec[],
  options?: CompareSeriesOptions,
): Promise<Comparison>;
/** A panel: the same as {@link comparePanelModels} (pooled ranking and tests, per-symbol results and tests). */
export async function compareModels(
  panel: Panel,
  models: ModelSpec[],
  options?: PanelWalkForwardOptions & CompareOptions,
): Promise<PanelComparison>;
export async function compareModels(
  input: Series | Panel,
  models: ModelSpec[],
  options: (WalkForwardOptions | PanelWalkForwardOptions) & CompareOptions = {},
): Promise<Comparison | PanelComparison> {
  if (input instanceof Panel)
    return comparePanelModels(input, models, options as PanelWalkForwardOptions & CompareOptions);
  return compareSeries(input, models, options as CompareSeriesOptions);
}

async function compareSeries(series: Series, models: ModelSpec[], options: CompareSeriesOptions): Promise<Comparison> {
  const [own, wf] = splitCompareOptions<WalkForwardOptions>(options);
  const o = parseOptions(CompareOptionsSchema, own, 'comparison options');
  const target = wf.targetTransform === undefined ? safeTarget(series, wf.target) : undefined;
  const kind = resolveTargetKind({ targetTransform: wf.targetTransform, targetKind: wf.targetKind, series, target });
  const plan = planComparison(models, o, kind, wf.targetTransform !== undefined);
  const results: Record<string, BacktestResult> = {};
  for (const model of plan.specs) {
    const r = await walkForward(series, model, wf);
    results[r.model] = r;
  }
  const bench = results[plan.benchmark];
  const naiveRmse = naiveRmseOf(bench.points);
  const setup = {
    benchmark: plan.benchmark,
    kind: plan.kind,
    horizon: bench.horizon,
    spacing: bench.step,
    horizonMean: bench.horizonMean,
  };
  const others = Object.values(results).filter((r) => r.model !== plan.benchmark);
  const squared = new Map(
    others.map((r) => [r.model, dieboldMarianoAgainst(r.points, bench.points, { ...setup, loss: 'mse' })]),
  );
  const reported = (r: BacktestResult) =>
    o.testLoss === 'mse'
      ? squared.get(r.model)!
      : dieboldMarianoAgainst(r.points, bench.points, { ...setup, loss: o.testLoss });
  const rows = rankRows(
    Object.values(results).map((r) => {
      const own = r.model === plan.benchmark;
      const tests = own
        ? { dieboldMariano: null, verdict: null }
        : { dieboldMariano: reported(r), verdict: verdict(squared.get(r.model)) };
      return {
        rank: 0,
        model: r.model,
        metrics: r.metrics,
        theilU: r.metrics.rmse / naiveRmse,
        ...(r.quantiles?.metrics.crps !== undefined ? { crps: r.quantiles.metrics.crps } : {}),
        ...tests,
      };
    }),
    o.rankBy,
  );
  const findings = rows
    .filter((r) => r.model !== plan.benchmark)
    .map((r) => finding(r.model, plan.benchmark, squared.get(r.model)!, r.metrics.rmse / bench.metrics.rmse, r.theilU));
  const tests = comparisonSetTests(others, bench.points, plan, o, () => bench.metrics.mae / bench.metrics.mase);
  return { rows, results, rankBy: o.rankBy, benchmark: plan.benchmark, findings, tests };
}

/**
 * Naive RMSE on exactly the same points, for Theil's U: the naive forecast of every point is y[t-1], the last value
 * known at its origin (read from the points, so a derived target such as rv:5 needs no second pass).
 */
function naiveRmseOf(points: readonly ForecastPoint[]): number {
  let sq = 0;
  for (const p of points) sq += (p.actual - p.lastKnown) ** 2;
  return Math.sqrt(sq / points.length);
}

/**
 * Sorts rows by a metric (lower is better, except `directionalAccuracy`) and numbers them from 1. A metric that
 * is not a number (NaN from a diverged model, or undefined) ranks last, whatever the direction; ties keep their order.
 * @internal
 */
export function rankRows<R extends { rank: number; metrics: Metrics }>(rows: R[], rankBy: Comparison['rankBy']): R[] {
  const sign = rankBy === 'directionalAccuracy' ? -1 : 1;
  const key = (m: Metrics) => {
    const value = m[rankBy];
    return value !== undefined && Number.isFinite(value) ? sign * value : Infinity;
  };
  return [...rows].sort((a, b) => key(a.metrics) - key(b.metrics) || 0).map((row, i) => ({ ...row, rank: i + 1 }));
}
