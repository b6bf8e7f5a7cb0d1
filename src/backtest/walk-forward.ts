/** Walk-forward backtesting: origins, training windows, refits, forecasts and pooled metrics, exactly as documented. */
import { z } from 'zod';
import { Panel } from '../data/panel.js';
import type { Series } from '../data/series.js';
import { walkForwardPanel, type PanelBacktestResult, type PanelWalkForwardOptions } from './panel-walk-forward.js';
import { resolveTarget } from '../data/target.js';
import type { Forecasts, TargetKind } from '../models/contract.js';
import { resolveTargetKind } from './target-kind.js';
import { resolveModel, type ModelSpec } from '../models/resolve.js';
import type { ResolvedModel } from '../models/contract.js';
import { parseOptions } from '../validate.js';
import { vocabulary as v } from '../vocabulary.js';
import { modelTask, planFolds, type FoldPlan } from './folds.js';
import { forecastPlans } from './fold-runners.js';
import { QueueOptionsSchema } from '../queue/options.js';
import { computeMetrics, meanPoints, metricsPerStep, naiveScale, type ForecastPoint, type Metrics } from './metrics.js';
import { quantileResults, type QuantileBacktest, type RiskBacktest } from './quantile-results.js';
import { applyTargetTransform, describeTargetTransform } from '../prep/target-transform.js';
import type { VarianceContext } from '../models/baselines/variance-baselines.js';
import { DataError } from '../errors.js';

/** The fields that name a backtest's target (shared by `forecastAhead`). @internal */
export const TargetFields = {
  /** Target column (default: the `close` column, else the series' only column); with `targetTransform`, the close column it reads. */
  target: v.target.optional(),
  /**
   * Derive the target (see docs/volatility-and-risk.md): `rv:K`, `parkinson:K`, `gk:K`, `yz:K` (realized
   * volatility over K periods, annualized percent, trailing) or `logret` (percent log returns). Rows without
   * enough history are dropped; the econometric models (`ewma`, `har`, `garch`, `garch-t`) read the returns.
   * With `logret`, recurrent models read standardized windows (`windowNorm: 'none'`, `scaler: 'standard'`)
   * unless the forecaster options set `windowNorm`: returns cross zero, so windows relative to their last value
   * cannot be formed.
   */
  targetTransform: v.targetTransform.optional(),
  /**
   * Declares the target column a `variance` (e.g. `rv` of `realizedMeasures`, a daily variance of decimal log
   * returns) or a `volatility`: its models (`har` and the HAR family, `ewma`) and metrics (`qlike`, `mseLog`)
   * follow. Default: from `targetTransform`, `variance` for the variance columns of a series made by
   * `realizedMeasures`, else a price.
   */
  targetKind: v.targetKind.optional(),
  /** Periods per year for annualizing a volatility target (default from the frequency). */
  periodsPerYear: v.periodsPerYear.optional(),
  /** Price columns of a range-based target (default: `open`, `high`, `low` in any case; the close is the target). */
  prices: v.prices.optional(),
  /**
   * The target is the mean of the next H values (HAR's weekly and monthly targets), not each step's value: a model
   * still forecasts the H steps, their mean is its forecast of the mean (for a variance, the mean of the
   * forecasts is the forecast of the mean). A backtest scores one point per origin, the mean of the H actual values
   * against it (metrics; tests whose errors overlap ceil(H / step) origins); `forecastAhead` adds `mean` to its H
   * values. Default false. Not with `quantiles`.
   */
  horizonMean: v.horizonMean.withDefault(),
};

/** Options of {@link walkForward} and {@link compareModels}. */
export const WalkForwardOptionsSchema = z
  .object({
    ...TargetFields,
    /**
     * Quantile levels: recurrent models train with the pinball loss and forecast them, GARCH and EWMA give them on
     * return targets; the result adds probabilistic metrics and, for `logret`, VaR backtests of the levels below 0.5.
     */
    quantiles: v.quantiles.optional(),
    /** H: forecast steps per origin (default 1). */
    horizon: v.horizon.withDefault(),
    /** S: rows between origins (default H). */
    step: v.step.optional(),
    /** First origin row (default n - testSize). */
    start: v.start.optional(),
    /** Rows at the end to forecast over when `start` is not given (default: 20% of the series, at least H). */
    testSize: v.testSize.optional(),
    /** `expanding` (y[0..t-1], default) or `sliding` (y[t-L..t-1] with L = trainLength). */
    window: v.window.withDefault(),
    /** L for sliding windows. */
    trainLength: v.trainLength.optional(),
    /** Fresh model at `every` origin (default), `once` at the first, or every k origins. */
    refit: v.refit.withDefault(),
    /** Forecaster options for recurrent models (lookback, epochs, units, ...); the model spec sets the cell. */
    forecaster: z.record(z.string(), z.unknown()).optional(),
    /** Run refit groups on this many worker threads (default `auto`: the machine's cores); each group trains on an equal share of the cores left (folds x threads <= cores, capped by `forecaster.threads`). On the webgpu engine, this many groups train at once in this thread on its one GPU device. Results are identical. */
    concurrency: v.concurrency.withDefault(),
    /** Run the refit groups as jobs on a BullMQ queue (`{ connection: 'redis://...' }`) instead; results are identical. */
    queue: QueueOptionsSchema.optional(),
    /** Called after each fold (progress bars). */
    onFold: z
      .custom<(info: { model: string; fold: number; folds: number }) => void>(
        (x) => typeof x === 'function',
        'expected a function',
      )
      .optional(),
  })
  .strict()
  .refine((o) => o.window !== 'sliding' || o.trainLength !== undefined, {
    message: "window 'sliding' needs trainLength",
    path: ['trainLength'],
  })
  .refine((o) => o.quantiles === undefined || o.quantiles.every((q, i) => i === 0 || q > o.quantiles![i - 1]), {
    message: 'quantile levels must increase',
    path: ['quantiles'],
  })
  .refine((o) => !(o.horizonMean && o.quantiles), {
    message:
      "horizonMean scores the mean of the H values, whose quantiles are not the steps' quantiles: leave out quantiles",
    path: ['horizonMean'],
  });

/** Options of {@link walkForward}, as accepted. */
export type WalkForwardOptions = z.input<typeof WalkForwardOptionsSchema>;

/** One forecast origin. */
export interface Fold {
  /** 0-based fold number. */
  index: number;
  /** Origin row t: the first forecast row. */
  origin: number;
  /** Timestamp of row t. */
  originTimestamp: number;
  /** Timestamp of the first training row y[t0]. */
  trainStart: number;
  /** Timestamp of the last training row y[t-1]; always before the first forecast. */
  trainEnd: number;
  /** Whether a fresh model was fitted at this origin (recurrent models). */
  refit: boolean;
  /** The H forecasts for rows t..t+H-1. */
  predicted: number[];
}

/** The target transform a backtest applied. */
export interface AppliedTransform {
  /** The spec, e.g. `rv:5`. */
  spec: string;
  /** Leading rows dropped for lack of history. */
  dropped: number;
  /** The annualization of a volatility target. */
  periodsPerYear: number;
}

/** The outcome of {@link walkForward}. */
export interface BacktestResult {
  /** The model spec, as given. */
  model: string;
  /** The target column. */
  target: string;
  /** H. */
  horizon: number;
  /** S. */
  step: number;
  /** The first origin row. */
  start: number;
  /** Every fold in time order. */
  folds: Fold[];
  /** Every forecast point, pooled. */
  points: ForecastPoint[];
  /** Metrics over all points. */
  metrics: Metrics;
  /** Metrics per horizon step h = 0..H-1 (with `horizonMean`, one: the mean's). */
  perStep: Metrics[];
  /** Whether the points are means over the H steps (`horizonMean`); each fold's `predicted` keeps the H steps. */
  horizonMean: boolean;
  /** What the target is: `price`, `return`, `volatility` or `variance` (see `targetKind`). */
  targetKind: TargetKind;
  /** The target transform, when one was applied: its spec, the rows it dropped and the annualization. */
  transform?: AppliedTransform;
  /** Quantile forecasts and their metrics, for models that give them when `quantiles` are requested. */
  quantiles?: QuantileBacktest;
  /** VaR backtests of the levels below 0.5 on a `logret` target (first-step forecasts). */
  risk?: RiskBacktest[];
  /**
   * Rows of the test span whose values ingestion interpolated (`missing: 'interpolate'` reads the next observed
   * value, so forecasts scored there meet values built from later data). 0 when none.
   */
  interpolatedRows: number;
  /** Wall time of the backtest. */
  elapsedMs: number;
}

/**
 * Backtests one model by walk-forward validation. Origins t = start, start+S, ... while t+H <= n; at origin t
 * the model sees only y[0..t-1] (expanding) or y[t-L..t-1] (sliding) and forecasts y[t..t+H-1]. Recurrent
 * models are fitted fresh from the seed (never fine-tuned) at every refit origin, with their scaler fitted on
 * the same window; baselines are exact functions of each origin's window. See docs/backtesting.md.
 *
 * @param input - the data (with `targetTransform`, the prices the target is derived from); a `Panel` runs
 *   {@link walkForwardPanel}
 * @param model - a spec string (`naive`, `drift`, `mean`, `seasonal:M`, `ma:K`, `ewma`, `har`, `garch`, `garch-t`,
 *   `rnn`, `lstm`, `gru`) or object
 * @param options - see {@link WalkForwardOptionsSchema}
 * @returns folds, points and metrics
 * @throws {@link DataError} when the data is too short for the origins or a model's window
 * @throws {@link ValidationError} for invalid options or an unknown model
 * @example
 * ```ts
 * import { readCsv, walkForward } from 'stockcast';
 * const sp = await readCsv('fixtures/sp500-2000.csv');
 * const r = await walkForward(sp, 'drift', { target: 'close', horizon: 5, testSize: 250 });
 * console.log(r.metrics.mase);
 * ```
 */
export async function walkForward(
  input: Series,
  model: ModelSpec,
  options?: WalkForwardOptions,
): Promise<BacktestResult>;
/** A panel: the same as {@link walkForwardPanel} (one global model across symbols, baselines per symbol). */
export async function walkForward(
  input: Panel,
  model: ModelSpec,
  options?: PanelWalkForwardOptions,
): Promise<PanelBacktestResult>;
export async function walkForward(
  input: Series | Panel,
  model: ModelSpec,
  options: WalkForwardOptions | PanelWalkForwardOptions = {},
): Promise<BacktestResult | PanelBacktestResult> {
  if (input instanceof Panel) return walkForwardPanel(input, model, options as PanelWalkForwardOptions);
  return walkForwardSeries(input, model, options as WalkForwardOptions);
}

async function walkForwardSeries(
  input: Series,
  model: ModelSpec,
  options: WalkForwardOptions,
): Promise<BacktestResult> {
  const o = parseOptions(WalkForwardOptionsSchema, options, 'backtest options');
  const resolved = await resolveModel(model, { forecaster: o.forecaster });
  const column = resolveTarget(input.columns, o.target);
  refuseLookahead(input, resolved, column);
  const { series, target, derived, transform } = deriveTarget(input, column, o);
  const { targetTransform, targetKind } = o;
  const kind = resolveTargetKind({ targetTransform, targetKind, series: input, target });
  const task = modelTask(resolved, { target, horizon: o.horizon, quantiles: o.quantiles, derived, targetKind: kind });
  const levels = task.quantiles;
  const y = series.columnRef(target);
  const started = performance.now();
  const { start, step, folds: plan } = planFolds(series.length, o);
  let done = 0;
  const tick = (n = 1) => {
    for (let i = 0; i < n; i++) o.onFold?.({ model: resolved.name, fold: ++done, folds: plan.length });
  };
  const [forecasts] = await forecastPlans(resolved, [{ series, task, plan }], o, tick);
  const folds = foldsOf(series, plan, forecasts, resolved.definition.stateless !== true);
  const steps = pointsOf(series, y, folds);
  const points = o.horizonMean ? meanPoints(steps, o.horizon) : steps;
  const scale = naiveScale(y, start);
  const quantiles = forecasts.quantiles;
  const probabilistic =
    levels && quantiles
      ? quantileResults(
          plan.map((f, i) => ({ origin: f.origin, quantiles: quantiles[i].map((q) => Array.from(q)) })),
          y,
          (row) => series.timestampAt(row),
          [...levels],
          derived?.transform.kind === 'log-returns',
        )
      : {};
  return {
    model: resolved.name,
    target,
    horizon: o.horizon,
    step,
    start,
    folds,
    points,
    metrics: computeMetrics(points, scale, kind),
    perStep: metricsPerStep(points, { horizon: o.horizonMean ? 1 : o.horizon, scale, targetKind: kind }),
    horizonMean: o.horizonMean,
    targetKind: kind,
    ...(transform ? { transform } : {}),
    ...probabilistic,
    interpolatedRows: interpolatedIn(input, series.timestampAt(start)),
    elapsedMs: performance.now() - started,
  };
}

/** Each fold with its dates and forecasts (a stateless model never refits). */
function foldsOf(series: Series, plan: readonly FoldPlan[], forecasts: Forecasts, refits: boolean): Fold[] {
  return plan.map((f, i) => ({
    index: i,
    origin: f.origin,
    originTimestamp: series.timestampAt(f.origin),
    trainStart: series.timestampAt(f.trainStart),
    trainEnd: series.timestampAt(f.origin - 1),
    refit: refits && f.refit,
    predicted: Array.from(forecasts.values[i]),
  }));
}

/** Every forecast as a point against its actual and the last value known at its origin. */
function pointsOf(series: Series, y: Float64Array, folds: readonly Fold[]): ForecastPoint[] {
  return folds.flatMap((f) =>
    f.predicted.map((p, h) => ({
      timestamp: series.timestampAt(f.origin + h),
      step: h,
      actual: y[f.origin + h],
      predicted: p,
      lastKnown: y[f.origin - 1],
      originTimestamp: f.originTimestamp,
    })),
  );
}

/** A column whose row t reads later rows would leak the test span into the training labels near each origin. */
function refuseLookahead(input: Series, model: ResolvedModel, target: string): void {
  const features = (
    model.definition.forecaster ? ((model.options.features as string[] | undefined) ?? []) : []
  ) as string[];
  for (const column of [target, ...features]) {
    const k = input.meta.lookahead?.[column];
    if (!k) continue;
    const hint = `backtest the trailing estimate forecast ${k} steps ahead instead: targetTransform 'rv:${k}' (or addVolatility with align 'trailing') and horizon ${k}`;
    throw new DataError(
      `column "${column}" is forward-aligned (row t reads the next ${k} rows), so a backtest would train on labels from its test span`,
      {},
      { hint },
    );
  }
}

/**
 * The series and target a backtest runs on: the input's, or those its target transform derives (with the returns).
 * @internal
 */
export function deriveTarget(
  input: Series,
  target: string,
  o: Pick<z.output<typeof WalkForwardOptionsSchema>, 'targetTransform' | 'prices' | 'periodsPerYear'>,
): { series: Series; target: string; derived?: VarianceContext; transform?: BacktestResult['transform'] } {
  if (!o.targetTransform) return { series: input, target };
  const t = applyTargetTransform(input, o.targetTransform, {
    close: target,
    prices: o.prices,
    ...(o.periodsPerYear ? { periodsPerYear: o.periodsPerYear } : {}),
  });
  return {
    series: t.series,
    target: t.target,
    derived: { returns: t.returns, transform: t.transform, periodsPerYear: t.periodsPerYear, daily: t.daily },
    transform: { spec: describeTargetTransform(t.transform), dropped: t.dropped, periodsPerYear: t.periodsPerYear },
  };
}

/** How many rows from `from` on were interpolated at ingestion. @internal */
export function interpolatedIn(series: Series, from: number): number {
  const filled = series.meta.ingest?.filled;
  return filled?.method === 'interpolate'
    ? filled.timestamps.filter((t) => t >= from && t <= series.lastTimestamp).length
    : 0;
}
