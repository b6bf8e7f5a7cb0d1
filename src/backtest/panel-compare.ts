/**
 * Panel comparisons: several models on the same panel and origins, ranked by a pooled metric, each tested against
 * the benchmark (Diebold-Mariano pooled by date and per symbol), and all of them by the Reality Check and SPA test.
 */
import type { z } from 'zod';
import type { TargetKind } from '../models/contract.js';
import type { Panel } from '../data/panel.js';
import type { ModelSpec } from '../models/resolve.js';
import { verdict, type Verdict } from '../stats/verdict.js';
import { parseOptions } from '../validate.js';
import {
  CompareOptionsSchema,
  finding,
  planComparison,
  splitCompareOptions,
  type CompareOptions,
  comparisonSetTests,
} from './comparison.js';
import { dieboldMarianoAgainst, type DieboldMarianoResult, type DieboldMarianoSetup } from './forecast-tests.js';
import type { ModelSetTests } from './model-set-tests.js';
import { resolveTargetKind, safeTarget } from './target-kind.js';
import type { Metrics } from './metrics.js';
import { walkForwardPanel, type PanelBacktestResult, type PanelWalkForwardOptions } from './panel-walk-forward.js';

/** A model's pooled Diebold-Mariano test on a panel, with each symbol's own test. */
export interface PanelDieboldMarianoResult extends DieboldMarianoResult {
  /** Per symbol: the test on that symbol's points alone. */
  bySymbol: Record<string, DieboldMarianoResult>;
}

/** One model's row in {@link comparePanelModels}' ranking. */
export interface PanelComparisonRow {
  /** Rank by the pooled metric (1 = best; NaN ranks last). */
  rank: number;
  /** The backtest. */
  result: PanelBacktestResult;
  /**
   * Against the benchmark on `testLoss`: the pooled test on the loss differentials averaged over the symbols present
   * at each date, and per-symbol tests (null for the benchmark itself).
   */
  dieboldMariano: PanelDieboldMarianoResult | null;
  /** The pooled squared-error verdict against the benchmark (null: the benchmark). */
  verdict: Verdict | null;
}

/** What {@link comparePanelModels} returns. */
export interface PanelComparisonResult {
  /** The rows, best first, the benchmark among them. */
  rows: PanelComparisonRow[];
  /** The metric used for ranking. */
  rankBy: keyof Omit<Metrics, 'count'>;
  /** The benchmark's display name. */
  benchmark: string;
  /** In words, each model against the benchmark: a verdict only where the pooled Diebold-Mariano test gives one. */
  findings: string[];
  /** White's Reality Check and Hansen's SPA test of every model against the benchmark on the `rankBy` loss. */
  tests: ModelSetTests;
}

/**
 * The result of {@link comparePanelModels}: `{ rows, rankBy, benchmark, findings, tests }`. It is also still the
 * array of rows (deprecated: read `rows`; the array form goes in the next release).
 */
export type PanelComparison = PanelComparisonRow[] & PanelComparisonResult;

/**
 * Backtests several models on the same panel and origins, ranks them by a pooled metric and tests each against the
 * benchmark: a Diebold-Mariano test pooled over the symbols (differentials averaged per date) and one per symbol,
 * one per forecast step at horizons above 1 (one on the means with `horizonMean`); verdicts "beats" or "loses to" only when the pooled squared-error
 * p-value is below 0.05. The Reality Check and SPA test ask whether any model beats the benchmark after the search.
 *
 * @param panel - the panel
 * @param models - model specs; display names must differ
 * @param options - see {@link PanelWalkForwardOptionsSchema}, plus `rankBy` (default `rmse`), `benchmark`,
 *   `testLoss`, `blockLength`, `resamples` and `seed` (see {@link CompareOptionsSchema})
 * @returns `{ rows, rankBy, benchmark, findings, tests }` (also the array of rows, deprecated)
 * @throws {@link ValidationError} when two models share a display name, or for invalid options
 * @throws {@link DataError} as {@link walkForwardPanel}
 * @example
 * ```ts
 * import { comparePanelModels, readPanelCsv } from 'stockcast';
 * const stocks = await readPanelCsv('fixtures/stocks.csv');
 * const { rows, findings, tests } = await comparePanelModels(stocks, ['naive', 'drift', 'mean'], { testSize: 12 });
 * rows[0].result.model; // the best by pooled RMSE
 * console.log(findings, tests.spa?.pValue);
 * ```
 */
export async function comparePanelModels(
  panel: Panel,
  models: ModelSpec[],
  options: PanelWalkForwardOptions & CompareOptions = {},
): Promise<PanelComparison> {
  const [own, rest] = splitCompareOptions<PanelWalkForwardOptions>(options);
  const o = parseOptions(CompareOptionsSchema, own, 'comparison options');
  const first = panel.symbols.length > 0 ? panel.get(panel.symbols[0]) : undefined;
  const target = rest.targetTransform === undefined && first ? safeTarget(first, rest.target) : undefined;
  const { targetTransform, targetKind } = rest;
  const kind = resolveTargetKind({ targetTransform, targetKind, series: first, target });
  const plan = planComparison(models, o, kind, rest.targetTransform !== undefined);
  const results: PanelBacktestResult[] = [];
  for (const m of plan.specs) results.push(await walkForwardPanel(panel, m, rest));
  const bench = results.find((r) => r.model === plan.benchmark)!;
  const setup = {
    benchmark: plan.benchmark,
    kind: plan.kind,
    horizon: bench.horizon,
    spacing: rest.step ?? bench.horizon,
    horizonMean: bench.horizonMean,
  };
  const squared = new Map(
    results.filter((r) => r !== bench).map((r) => [r.model, panelTest(r, bench, { ...setup, loss: 'mse' })]),
  );
  const rows = rankRows(
    results,
    bench,
    o,
    (r) => (o.testLoss === 'mse' ? squared.get(r.model)! : panelTest(r, bench, { ...setup, loss: o.testLoss })),
    squared,
  );
  const findings = rows
    .filter((r) => r.result !== bench)
    .map((r) =>
      finding(
        r.result.model,
        plan.benchmark,
        squared.get(r.result.model)!,
        r.result.metrics.rmse / bench.metrics.rmse,
        r.result.theilU,
      ),
    );
  const tests = setTests(results, bench, plan, o);
  return Object.assign([...rows], { rows, rankBy: o.rankBy, benchmark: plan.benchmark, findings, tests });
}

/** The rows ranked by the `rankBy` metric, each with its test against the benchmark and the verdict (squared error). */
function rankRows(
  results: readonly PanelBacktestResult[],
  bench: PanelBacktestResult,
  o: z.output<typeof CompareOptionsSchema>,
  test: (r: PanelBacktestResult) => PanelDieboldMarianoResult,
  squared: ReadonlyMap<string, PanelDieboldMarianoResult>,
): PanelComparisonRow[] {
  const better = o.rankBy === 'directionalAccuracy' ? -1 : 1;
  const key = (r: PanelBacktestResult) => {
    const value = r.metrics[o.rankBy];
    return value !== undefined && Number.isFinite(value) ? better * value : Infinity;
  };
  return [...results]
    .sort((a, b) => key(a) - key(b))
    .map((result, i) => {
      if (result === bench) return { rank: i + 1, result, dieboldMariano: null, verdict: null };
      return { rank: i + 1, result, dieboldMariano: test(result), verdict: verdict(squared.get(result.model)) };
    });
}

/** White's Reality Check and Hansen's SPA over every model against the benchmark. */
function setTests(
  results: readonly PanelBacktestResult[],
  bench: PanelBacktestResult,
  plan: { benchmark: string; kind: TargetKind },
  o: z.output<typeof CompareOptionsSchema>,
): ModelSetTests {
  // MASE: each point scaled by its own symbol's in-sample naive error (MAE / MASE of that symbol).
  const scale = new Map(Object.entries(bench.bySymbol).map(([s, r]) => [s, r.metrics.mae / r.metrics.mase]));
  const others = results.filter((r) => r !== bench);
  return comparisonSetTests(others, bench.points, plan, o, (p) => scale.get(p.symbol!) ?? Number.NaN);
}

/** The pooled test and every symbol's own. */
function panelTest(
  r: PanelBacktestResult,
  bench: PanelBacktestResult,
  setup: DieboldMarianoSetup,
): PanelDieboldMarianoResult {
  const bySymbol: Record<string, DieboldMarianoResult> = {};
  for (const [symbol, s] of Object.entries(r.bySymbol)) {
    const b = bench.bySymbol[symbol];
    if (b) bySymbol[symbol] = dieboldMarianoAgainst(s.points, b.points, setup);
  }
  return { ...dieboldMarianoAgainst(r.points, bench.points, setup, true), bySymbol };
}
