/**
 * What series and panel comparisons share: their own options (ranking, benchmark, tests), the default benchmark
 * rule, the list of models run (the benchmark added when not listed), and each model's verdict in words.
 */
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import type { TargetKind } from '../models/contract.js';
import { modelName, type ModelSpec } from '../models/resolve.js';
import { SIGNIFICANCE, verdict, type Verdict } from '../stats/verdict.js';
import { vocabulary as v } from '../vocabulary.js';
import type { DieboldMarianoResult, Point } from './forecast-tests.js';
import { modelSetTests, type ModelSetTests } from './model-set-tests.js';
import { isVolatilityKind, resolveTargetKind } from './target-kind.js';

/** The options a comparison adds to a backtest's: ranking, the benchmark and the tests against it. */
export const CompareOptionsSchema = z
  .object({
    /** The metric that ranks the models, and whose loss the Reality Check and SPA test compare (default `rmse`). */
    rankBy: v.rankBy.withDefault(),
    /**
     * The model every other is tested against, added to the comparison when not listed (default: `garch` for a
     * `targetTransform` of prices, `har` for realized measures, `naive` otherwise).
     */
    benchmark: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
    /** The loss of the Diebold-Mariano tests: `mse` (default) or `qlike` (volatility targets). */
    testLoss: v.testLoss.withDefault(),
    /** Mean block length of the bootstrap of the Reality Check and SPA test (default: cube root of the periods). */
    blockLength: v.blockLength.optional(),
    /** Bootstrap resamples (default 1000). */
    resamples: v.resamples.withDefault(),
    /** Seed of the bootstrap (default 42). */
    seed: v.seed.withDefault(),
  })
  .strict();

/** Options of a comparison beyond the backtest's, as accepted. */
export type CompareOptions = z.input<typeof CompareOptionsSchema>;

/** Options of a comparison beyond the backtest's, parsed. */
export type ParsedCompareOptions = z.output<typeof CompareOptionsSchema>;

const COMPARE_KEYS = Object.keys(CompareOptionsSchema.shape) as Array<keyof CompareOptions>;

/** Splits a comparison's options into its own and the backtest's. @internal */
export function splitCompareOptions<O extends object>(options: O & CompareOptions): [CompareOptions, O] {
  const own: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(options)) ((COMPARE_KEYS as string[]).includes(k) ? own : rest)[k] = value;
  return [own as CompareOptions, rest as O];
}

/**
 * The default benchmark for a target: `garch` for targets derived from daily prices (`targetTransform` rv:K,
 * parkinson:K, gk:K, yz:K, logret), `har` for other volatility and variance targets (realized measures), `naive`
 * for everything else. The one place this rule lives.
 *
 * @param kind - what the target is
 * @param derived - whether it is derived from prices by a `targetTransform`
 * @returns a model spec
 * @example
 * ```ts
 * import { defaultBenchmark } from 'stockcast';
 * defaultBenchmark('volatility', true); // 'garch'
 * defaultBenchmark('price', false); // 'naive'
 * ```
 */
export function defaultBenchmark(kind: TargetKind, derived: boolean): string {
  if (derived) return 'garch';
  return kind === 'volatility' || kind === 'variance' ? 'har' : 'naive';
}

/**
 * The target kind of a backtest target from its options alone (`targetTransform`, else a declared `targetKind`,
 * else a price); with the data, `resolveTargetKind` also finds a series of realized measures. @internal
 */
export function targetKindOf(targetTransform: string | undefined, targetKind?: 'variance' | 'volatility'): TargetKind {
  return resolveTargetKind({ targetTransform, targetKind });
}

/** The models a comparison runs and how it tests them. @internal */
export interface ComparisonPlan {
  /** The models as given, then the benchmark when it was not among them. */
  specs: ModelSpec[];
  /** The benchmark's display name. */
  benchmark: string;
  /** What the target is. */
  kind: TargetKind;
}

/**
 * Checks the comparison's options against the models and target, and adds the benchmark when it is not listed.
 * @throws {@link ValidationError} when two models share a display name, or `qlike` or `mseLog` (`testLoss`,
 * `rankBy`) is asked of a target that is not a volatility or variance
 * @internal
 */
export function planComparison(
  models: ModelSpec[],
  o: ParsedCompareOptions,
  kind: TargetKind,
  derived: boolean,
): ComparisonPlan {
  const names = models.map(modelName);
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated !== undefined) {
    const message =
      `two models are named "${repeated}"; results are keyed by name, so give each model its own ` +
      '(objects take a `name`)';
    throw new ValidationError('models', [{ path: '', message }]);
  }
  const volatility = isVolatilityKind(kind);
  for (const [path, value] of [
    ['testLoss', o.testLoss],
    ['rankBy', o.rankBy],
  ] as const) {
    if (volatility || (value !== 'qlike' && value !== 'mseLog')) continue;
    const message =
      `${value === 'qlike' ? 'QLIKE' : 'log MSE'} compares variance forecasts: the target is a ${kind}; use ` +
      `${path === 'testLoss' ? "testLoss 'mse'" : "rankBy 'rmse'"}, a volatility targetTransform (rv:K, gk:K, ...), ` +
      "or declare the column's targetKind ('variance' or 'volatility')";
    throw new ValidationError('comparison options', [{ path, message }]);
  }
  const spec = (o.benchmark as ModelSpec | undefined) ?? defaultBenchmark(kind, derived);
  const benchmark = modelName(spec);
  return { specs: names.includes(benchmark) ? models : [...models, spec], benchmark, kind };
}

const pct = (x: number) => `${(Math.abs(x - 1) * 100).toFixed(1)}%`;

/** How the benchmark reads in a sentence. @internal */
export function benchmarkLabel(benchmark: string): string {
  return benchmark === 'naive' ? 'the naive forecast (the last value)' : `the benchmark ${benchmark}`;
}

/**
 * One sentence on a model against the benchmark: the verdict of the squared-error Diebold-Mariano test (see
 * `verdict`), the RMSE difference and Theil's U against the naive forecast.
 * @param model - the model's name
 * @param test - its squared-error test against the benchmark
 * @param ratio - its RMSE over the benchmark's on the same points
 * @param theilU - its RMSE over the naive forecast's
 * @internal
 */
export function finding(
  model: string,
  benchmark: string,
  test: DieboldMarianoResult,
  ratio: number,
  theilU: number,
): string {
  const label = benchmarkLabel(benchmark);
  if (!Number.isFinite(ratio)) return `${model} produced no finite forecasts; use ${label}.`;
  const v: Verdict = verdict(test);
  const step = test.perStep
    ? ` at step ${test.perStep.length}`
    : test.meanOf
      ? ` on the mean of the ${test.meanOf} steps`
      : '';
  const p = `Diebold-Mariano p-value ${test.pValue.toPrecision(2)} on squared error${step}`;
  const rmse = `its RMSE is ${pct(ratio)} ${ratio < 1 ? 'lower' : ratio > 1 ? 'higher' : 'the same'}`;
  const u = `Theil's U ${theilU.toFixed(3)}`;
  if (!Number.isFinite(test.pValue)) {
    return `${model} ties ${label}: no Diebold-Mariano test can tell them apart (${test.note ?? 'no test'}; ${u}).`;
  }
  if (v === 'beats') return `${model} beats ${label}: ${rmse} (${p}; ${u}).`;
  if (v === 'loses to')
    return `${model} loses to ${label}: ${rmse} (${p}; ${u}); on this data ${label} is the better model.`;
  return (
    `${model} ties ${label}: ${rmse}, but the ${p} is not below ${SIGNIFICANCE}, ` +
    `so the difference may be luck (${u}).`
  );
}

/**
 * White's Reality Check and Hansen's SPA of a comparison: every other model against its benchmark, on the `rankBy`
 * metric's loss, with the comparison's block length, resamples and seed.
 * @param scaleOf - a point's MASE scale (its series' in-sample naive error)
 * @internal
 */
export function comparisonSetTests(
  others: ReadonlyArray<{ model: string; points: readonly Point[] }>,
  bench: readonly Point[],
  plan: { benchmark: string; kind: TargetKind },
  o: z.output<typeof CompareOptionsSchema>,
  scaleOf: (p: Point) => number,
): ModelSetTests {
  const setup = {
    benchmark: plan.benchmark,
    metric: o.rankBy,
    kind: plan.kind,
    blockLength: o.blockLength,
    resamples: o.resamples,
    seed: o.seed,
    scaleOf,
  };
  return modelSetTests(
    others.map((r) => ({ name: r.model, points: r.points })),
    bench,
    setup,
  );
}
