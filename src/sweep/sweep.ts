/**
 * Hyperparameter sweeps: a search over forecaster options scored on validation folds that end before the test
 * span, then the chosen configuration scored once on the test span, which the search never saw.
 */
import { z } from 'zod';
import { DataError, ValidationError } from '../errors.js';
import { Panel } from '../data/panel.js';
import type { Series } from '../data/series.js';
import { resolveTarget } from '../data/target.js';
import { JobPool } from '../jobs/pool.js';
import type { Metrics } from '../backtest/metrics.js';
import { modelJob, modelTask } from '../backtest/folds.js';
import { isVolatilityKind, resolveTargetKind } from '../backtest/target-kind.js';
import { resolveModel, type ModelSpec } from '../models/resolve.js';
import type { BacktestResult } from '../backtest/walk-forward.js';
import { ForecasterOptionsSchema } from '../models/recurrent/forecaster-options.js';
import { QueueOptionsSchema } from '../queue/options.js';
import { parseOptions } from '../validate.js';
import { platform } from '../platform/runtime.js';
import { vocabulary as v } from '../vocabulary.js';
import { gridPoints, halvingRungs, randomPoints, type Rung } from './search.js';
import { checkSpace, optionAxes, SearchSpaceSchema, type Params } from './space.js';
import { planSpans, type Span } from './spans.js';
import type { Objective, RunContext, SweepProgress, Trial } from './trials.js';
import { naiveVerdict, sweepStrategy, type SweepVerdict } from './skill.js';
import { testChosen, validate, type Part, type SweepRun, type TestScore } from './phases.js';
import type { ResolvedModel, TargetKind } from '../models/contract.js';
import type { StrategyResult } from '../backtest/strategy.js';

/** Options of {@link sweep}. */
export const SweepOptionsSchema = z
  .object({
    /** Forecaster options to vary: lists (`units: [16, 32, 64]`) or ranges (`learningRate: { min: 1e-4, max: 1e-2, scale: 'log' }`). */
    space: SearchSpaceSchema,
    /** `random` (default), `grid` or `halving` (successive halving over epochs). */
    search: v.search.withDefault(),
    /** Configurations for random and halving searches (default 20). */
    trials: v.trials.withDefault(),
    /** The validation metric to minimize (default `rmse`; `directionalAccuracy` is maximized). */
    objective: v.objective.withDefault(),
    /** Target column (default: the close column, else the only column). */
    target: v.target.optional(),
    /**
     * Declares the target column a `variance` or a `volatility`, as in `walkForward` (default: `variance` for the
     * variance columns of series made by `realizedMeasures`, else a price); `qlike` and `mseLog` objectives need one.
     */
    targetKind: v.targetKind.optional(),
    /** Steps forecast from each origin (default 1). */
    horizon: v.horizon.withDefault(),
    /** Rows between origins (default: the horizon). */
    step: v.step.optional(),
    /** Rows at the end the chosen configuration is scored on once (default 20% of the rows). */
    testSize: v.testSize.optional(),
    /** Rows before the test span the validation folds forecast (default: the test size). */
    validationSize: v.validationSize.optional(),
    /** Fresh models per span (default 3). */
    folds: v.folds.withDefault(),
    /** `expanding` (default) or `sliding` training windows. */
    window: v.window.withDefault(),
    /** Rows of a sliding window. */
    trainLength: v.trainLength.optional(),
    /** Successive halving: keep 1/reductionFactor per rung (default 3). */
    reductionFactor: v.reductionFactor.withDefault(),
    /** Forecaster options every trial shares (epochs, seed, ...); the space's values override them. */
    forecaster: v.forecaster.optional(),
    /** Seeds the random search (default 42); the forecasters' seed is `forecaster.seed`. */
    seed: v.seed.withDefault(),
    /** Local worker threads (default `auto`: the cores); ignored with `queue`. Results do not depend on it. */
    concurrency: v.concurrency.withDefault(),
    /** Run the jobs on a BullMQ queue: `{ connection: 'redis://...' }`. Results are identical to local runs. */
    queue: QueueOptionsSchema.optional(),
    /** Called as jobs start and finish. */
    onProgress: z.custom<(p: SweepProgress) => void>((x) => typeof x === 'function', 'expected a function').optional(),
    /** Cancels the sweep (queued jobs are removed). */
    signal: v.signal.optional(),
  })
  .strict()
  .refine((o) => o.window !== 'sliding' || o.trainLength !== undefined, {
    message: "window 'sliding' needs trainLength",
    path: ['trainLength'],
  });

/** Options of {@link sweep}, as accepted. */
export type SweepOptions = z.input<typeof SweepOptionsSchema>;

/** The chosen configuration. */
export interface SweepBest {
  /** Its trial number. */
  index: number;
  /** Its values of the space's options. */
  params: Params;
  /** Its validation metrics (what chose it). */
  validation: Metrics;
  /** Its metrics on the test span, measured once after the choice. */
  test: Metrics;
  /** Theil's U on the test span: its RMSE over the naive forecast's on the same points (a verdict needs a test). */
  theilU: number;
  /** Diebold-Mariano against the naive forecast on the test span (squared error; pooled by date on a panel). */
  dieboldMariano: SweepVerdict['dieboldMariano'];
  /** Against the naive forecast: `beats` or `loses to` only when that test's p-value is below 0.05, else `ties`. */
  verdict: SweepVerdict['verdict'];
  /**
   * At horizon 1 on a series: its strategy on the test span (long-flat, 5 bps; a simulation, not advice), with the
   * deflated Sharpe ratio given every trial's strategy on the validation folds, and its random-signal percentile.
   */
  strategy?: StrategyResult;
  /** Why there is no strategy (and so no deflated Sharpe ratio), when there is none. */
  strategyNote?: string;
  /** The test span's backtest (folds and points), for a Series. */
  backtest?: BacktestResult;
  /** Each symbol's test backtest, for a Panel. */
  bySymbol?: Record<string, BacktestResult>;
}

/** Where a span of a sweep lies (for a panel: over every symbol, each symbol's span ending before its own test span). */
export interface SpanInfo {
  /** Timestamp of its first origin. */
  firstOrigin: number;
  /** Timestamp of its last origin. */
  lastOrigin: number;
  /** Forecast origins (for a panel, of every symbol). */
  origins: number;
  /** Refit folds (fresh models) per series. */
  folds: number;
}

/** What {@link sweep} returns. */
export interface SweepResult {
  /** The model's display name. */
  model: string;
  /** The target column. */
  target: string;
  /** The search. */
  search: 'random' | 'grid' | 'halving';
  /** The objective. */
  objective: Objective;
  /** Every trial, in the order the search drew them. */
  trials: Trial[];
  /** The chosen configuration and its one test score. */
  best: SweepBest;
  /** Where the spans lie. */
  spans: {
    /** The validation folds, before the test span. */
    validation: SpanInfo;
    /** The test span. */
    test: SpanInfo;
  };
  /** Successive halving's rungs. */
  rungs?: Rung[];
  /** Wall time. */
  elapsedMs: number;
}

const TRAINING_DEFAULTS = ForecasterOptionsSchema.parse({});

type Parsed = z.output<typeof SweepOptionsSchema>;

/** The two call forms of {@link sweep}: the model given apart, or inside the options. */
function splitArguments(
  modelOrOptions: ModelSpec | (SweepOptions & { model: ModelSpec }),
  maybeOptions: SweepOptions | undefined,
): { model: ModelSpec; options: SweepOptions } {
  const together = typeof modelOrOptions === 'object' && 'model' in modelOrOptions && maybeOptions === undefined;
  const { model, ...options } = together
    ? (modelOrOptions as SweepOptions & { model: ModelSpec })
    : { model: modelOrOptions as ModelSpec, ...(maybeOptions ?? ({} as SweepOptions)) };
  return { model, options };
}

/** The model's searchable options and the checked space; refuses a model without options, or halving without epochs. */
function sweepSpace(
  spec: ResolvedModel,
  o: Parsed,
): { axes: ReturnType<typeof optionAxes>; space: ReturnType<typeof checkSpace> } {
  if (!spec.definition.options)
    throw new ValidationError('sweep model', [
      {
        path: '',
        message: `a sweep tunes a model with options (rnn, lstm, gru, seasonal, ma, ewma, or a registered model with an options schema); "${spec.name}" has none to search`,
      },
    ]);
  const axes = optionAxes(spec);
  const space = checkSpace(o.space, axes);
  if (o.search === 'halving' && !spec.definition.forecaster)
    throw new ValidationError('sweep options', [
      {
        path: 'search',
        message: `successive halving gives out epochs, which ${spec.key} does not train: use search random or grid`,
      },
    ]);
  if (o.search === 'halving' && 'epochs' in space)
    throw new ValidationError('sweep space', [
      {
        path: 'space.epochs',
        message:
          'successive halving gives out the epochs itself: leave epochs out of the space and set the most with forecaster.epochs (CLI: --epochs)',
      },
    ]);
  return { axes, space };
}

/** Each series' spans; on a panel, a symbol whose spans do not fit is named in the error. */
function planParts(named: Array<[string | undefined, Series]>, o: Parsed): Part[] {
  return named.map(([symbol, series]) => {
    const testSize = o.testSize ?? Math.max(o.horizon, Math.floor(series.length * 0.2));
    try {
      return {
        symbol,
        spans: planSpans(series, {
          horizon: o.horizon,
          step: o.step,
          testSize,
          validationSize: o.validationSize ?? testSize,
          folds: o.folds,
          window: o.window,
          trainLength: o.trainLength,
        }),
      };
    } catch (e) {
      if (symbol === undefined || !(e instanceof DataError)) throw e;
      throw new DataError(
        `${symbol}: ${e.message}`,
        {},
        { hint: 'select the symbols with enough rows (panel.select), or lower testSize and validationSize' },
      );
    }
  });
}

/** Where a span's origins lie, over every series. */
function describeSpans(spans: Span[]): SpanInfo {
  const origins = spans.flatMap((s) => s.groups.flat().map((f) => s.series.timestampAt(f.origin)));
  const folds = spans[0].groups.length;
  return { firstOrigin: Math.min(...origins), lastOrigin: Math.max(...origins), origins: origins.length, folds };
}

/** The chosen configuration's verdicts on the test span: Theil's U and Diebold-Mariano against naive, its strategy. */
function judgeBest(
  run: SweepRun,
  chosen: Trial,
  test: TestScore,
  trials: Trial[],
  strategyNote: string | undefined,
): SweepBest {
  const { parts } = run;
  // The naive forecast (the last value before each origin) on the same points, for Theil's U.
  const all = test.results.flatMap((r) => r.points);
  const naiveSq = all.reduce((a, p) => a + (p.actual - p.lastKnown) ** 2, 0);
  const theilU = test.metrics.rmse / Math.sqrt(naiveSq / all.length);
  const bySymbol = run.panel ? Object.fromEntries(parts.map((p, i) => [p.symbol!, test.results[i]])) : undefined;
  const tested = naiveVerdict(
    parts.map((p, i) => ({ symbol: p.symbol, result: test.results[i] })),
    run.horizon,
    run.step,
  );
  const sharpes = trials.flatMap((t) => (t.sharpe !== undefined ? [t.sharpe] : []));
  const luck = strategyNote ? { strategyNote } : { strategy: sweepStrategy(test.results[0], run.frequency, sharpes) };
  return {
    index: chosen.index,
    params: chosen.params,
    validation: chosen.metrics!,
    test: test.metrics,
    theilU,
    ...tested,
    ...luck,
    ...(bySymbol ? { bySymbol } : { backtest: test.results[0] }),
  };
}

/**
 * Searches forecaster options for the configuration with the best validation metric, then scores it once on
 * the test span. Over a panel, each symbol gets its own model per fold (independent per-symbol fits, each a job)
 * on its own spans, and the metrics pool every symbol's points. Validation folds forecast the `validationSize` rows before the last `testSize` rows, from a copy
 * of the series without those rows: the test span cannot influence the choice. Every trial trains seeded models on
 * one thread each, so the same seed gives the same trials and results locally, on threads or on a queue.
 *
 * @param data - a series, or a panel (per-symbol models)
 * @param model - the recurrent model to tune: `lstm`, `gru`, `rnn`, or `{ name?, forecaster }` (or give it as
 *   `model` inside the options: `sweep(data, { model: 'lstm', space, ... })`)
 * @param options - see {@link SweepOptionsSchema}
 * @returns every trial, the best configuration with its test metrics and backtest
 * @throws {@link ValidationError} for an invalid space or options, or a baseline model
 * @throws {@link DataError} when the spans do not fit the data, or every trial failed (the first reason given)
 * @throws {@link QueueError} when the queue cannot be used
 * @throws {@link StockcastError} `ABORTED` when the signal fires
 * @example
 * ```ts
 * import { readCsv, sweep } from 'stockcast';
 * const sp = await readCsv('fixtures/sp500-2000.csv');
 * const r = await sweep(sp.slice(-800), 'lstm', { space: { units: [8, 16], lookback: { min: 10, max: 40 } }, trials: 4, testSize: 100, forecaster: { epochs: 3 } });
 * console.log(r.best.params, r.best.validation.rmse, r.best.test.rmse);
 * ```
 */
export async function sweep(data: Series | Panel, model: ModelSpec, options: SweepOptions): Promise<SweepResult>;
/** The same, with the model inside the options: `sweep(data, { model: 'lstm', space, ... })`. */
export async function sweep(data: Series | Panel, options: SweepOptions & { model: ModelSpec }): Promise<SweepResult>;
export async function sweep(
  data: Series | Panel,
  modelOrOptions: ModelSpec | (SweepOptions & { model: ModelSpec }),
  maybeOptions?: SweepOptions,
): Promise<SweepResult> {
  const { model, options } = splitArguments(modelOrOptions, maybeOptions);
  const started = performance.now();
  const o = parseOptions(SweepOptionsSchema, options, 'sweep options');
  const spec = await resolveModel(model, { forecaster: o.forecaster });
  const { axes, space } = sweepSpace(spec, o);
  const target = resolveTarget(data.columns, o.target);
  const targetKind = sweepTargetKind(data, o, target);
  const task = modelTask(spec, { target, horizon: o.horizon, targetKind });
  // One job shape for every trial: the model's options as plain data (what crosses to threads and queues).
  const { spec: jobSpec, options: plain, modules } = modelJob(spec, task, 1, o.queue ? 'queue' : 'threads');
  const base = { model: spec, spec: jobSpec, options: plain, task, modules };
  // A panel: every symbol its own model per fold, on its own spans; the objective pools every symbol's points.
  const named: Array<[string | undefined, Series]> = data instanceof Panel ? [...data] : [[undefined, data]];
  const parts = planParts(named, o);
  const points = o.search === 'grid' ? gridPoints(space) : randomPoints(space, o.trials, o.seed, axes);
  const rungs = planRungs(spec, plain, o, points.length);
  const { concurrency, pool } = sweepWorkers(spec, o);
  const shared = { model: spec.name, target, horizon: o.horizon, base, concurrency, pool };
  const context = (onJobs: RunContext['onJobs']): RunContext => ({
    ...shared,
    queue: o.queue,
    signal: o.signal,
    onJobs,
  });
  try {
    const frequency = named[0][1].meta.frequency;
    const { horizon, step, objective, onProgress } = o;
    const panel = data instanceof Panel;
    const run: SweepRun = { panel, horizon, step, objective, onProgress, parts, rungs, frequency, context };
    const { trials, chosen, strategyNote } = await validate(run, points);
    const test = await testChosen(run, chosen, trials);
    return {
      model: spec.name,
      target,
      search: o.search,
      objective: o.objective,
      trials,
      best: judgeBest(run, chosen, test, trials, strategyNote),
      spans: {
        validation: describeSpans(parts.map((p) => p.spans.validation)),
        test: describeSpans(parts.map((p) => p.spans.test)),
      },
      ...(rungs.length > 1 ? { rungs } : {}),
      elapsedMs: performance.now() - started,
    };
  } finally {
    await pool?.close();
  }
}

/**
 * The target's kind (as `walkForward` resolves it, from the first series of a panel); refuses the variance-forecast
 * objectives (`qlike`, `mseLog`) for a target neither a variance nor a volatility.
 */
function sweepTargetKind(data: Series | Panel, o: Parsed, target: string): TargetKind {
  const first = data instanceof Panel ? data.get(data.symbols[0]) : data;
  const targetKind = resolveTargetKind({ targetKind: o.targetKind, series: first, target });
  if ((o.objective === 'qlike' || o.objective === 'mseLog') && !isVolatilityKind(targetKind)) {
    const message =
      `${o.objective} compares variance forecasts: the target "${target}" is a ${targetKind}; use another ` +
      "objective, or declare the column's targetKind ('variance' or 'volatility')";
    throw new ValidationError('sweep options', [{ path: 'objective', message }]);
  }
  return targetKind;
}

/** The epochs each rung trains: one rung with every point for random and grid searches, halving's rungs else. */
function planRungs(spec: ResolvedModel, plain: Record<string, unknown>, o: Parsed, configurations: number): Rung[] {
  // Models that do not train have no epochs to give out.
  const maxEpochs = spec.definition.forecaster ? ((plain.epochs as number | undefined) ?? TRAINING_DEFAULTS.epochs) : 0;
  return o.search === 'halving'
    ? halvingRungs(configurations, maxEpochs, o.reductionFactor)
    : [{ configurations, epochs: maxEpochs }];
}

/** How many jobs run at once, and the pool of threads they share (none on a queue or one job at a time). */
function sweepWorkers(spec: ResolvedModel, o: Parsed): { concurrency: number; pool: JobPool | undefined } {
  // A model registered by its definition exists in this thread only: its trials run here.
  const transferable = [spec, spec.base].every((m) => !m || m.builtin || m.module);
  const concurrency = !transferable ? 1 : o.concurrency === 'auto' ? platform().cores() : o.concurrency;
  // One pool of threads for every rung and the test: threads take seconds to start.
  const pool = !o.queue && concurrency > 1 ? new JobPool(concurrency) : undefined;
  return { concurrency, pool };
}
