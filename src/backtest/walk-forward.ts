/** Walk-forward backtesting: origins, training windows, refits, forecasts and pooled metrics, exactly as documented. */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import type { Series } from '../data/series.js';
import { resolveTarget } from '../data/target.js';
import { ForecasterOptionsSchema, type ForecasterOptions } from '../models/forecaster-options.js';
import { parseOptions } from '../validate.js';
import { vocabulary as v } from '../vocabulary.js';
import { baselineForecast } from './baselines.js';
import { forecastGroup, planFolds, refitGroups } from './folds.js';
import { runGroupsInWorkers } from './fold-pool.js';
import { runGroupsOnQueue } from './fold-tasks.js';
import { QueueOptionsSchema } from '../queue/connection.js';
import { computeMetrics, metricsPerStep, naiveScale, type ForecastPoint, type Metrics } from './metrics.js';
import { parseModelSpec, type BacktestModel } from './models.js';

/** Options of {@link walkForward} and {@link compareModels}. */
export const WalkForwardOptionsSchema = z
  .object({
    /** Target column (default: the `close` column, else the series' only column). */
    target: v.target.optional(),
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
    /** Run refit groups on this many worker threads (default `auto`: the machine's cores). Results are identical. */
    concurrency: v.concurrency.withDefault(),
    /** Run the refit groups as jobs on a BullMQ queue (`{ connection: 'redis://...' }`) instead; results are identical. */
    queue: QueueOptionsSchema.optional(),
    /** Called after each fold (progress bars). */
    onFold: z.custom<(info: { model: string; fold: number; folds: number }) => void>((x) => typeof x === 'function', 'expected a function').optional(),
  })
  .strict()
  .refine((o) => o.window !== 'sliding' || o.trainLength !== undefined, { message: "window 'sliding' needs trainLength", path: ['trainLength'] });

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
  /** Metrics per horizon step h = 0..H-1. */
  perStep: Metrics[];
  /** Wall time of the backtest. */
  elapsedMs: number;
}

/**
 * Backtests one model by walk-forward validation. Origins t = start, start+S, ... while t+H <= n; at origin t
 * the model sees only y[0..t-1] (expanding) or y[t-L..t-1] (sliding) and forecasts y[t..t+H-1]. Recurrent
 * models are fitted fresh from the seed (never fine-tuned) at every refit origin, with their scaler fitted on
 * the same window; baselines are exact functions of each origin's window. See docs/backtesting.md.
 *
 * @param series - the data
 * @param model - a spec string (`naive`, `drift`, `mean`, `seasonal:M`, `ma:K`, `rnn`, `lstm`, `gru`) or object
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
export async function walkForward(series: Series, model: BacktestModel, options: WalkForwardOptions = {}): Promise<BacktestResult> {
  const o = parseOptions(WalkForwardOptionsSchema, options, 'backtest options');
  const resolved = parseModelSpec(model);
  const target = resolveTarget(series.columns, o.target);
  const y = series.columnRef(target);
  const started = performance.now();
  const { start, step, folds: plan } = planFolds(series.length, o);
  let done = 0;
  const tick = () => o.onFold?.({ model: resolved.name, fold: ++done, folds: plan.length });
  let predicted: number[][];
  if (resolved.kind === 'baseline') {
    predicted = plan.map((f) => {
      const p = Array.from(baselineForecast(resolved.baseline, y, { trainStart: f.trainStart, origin: f.origin, horizon: o.horizon }));
      tick();
      return p;
    });
  } else {
    // Checked here, once, so a bad option fails before any fold trains. Each fold trains on one thread: the
    // backtest uses the cores across folds, so a fold trains the same way wherever it runs.
    const forecaster: ForecasterOptions = { ...(o.forecaster as ForecasterOptions), ...resolved.forecaster, target, horizon: o.horizon, threads: 1 };
    parseOptions(ForecasterOptionsSchema, forecaster, 'forecaster options');
    const groups = refitGroups(plan);
    const concurrency = Math.min(o.concurrency === 'auto' ? availableParallelism() : o.concurrency, groups.length);
    const signal = forecaster.signal;
    let perGroup: number[][][];
    if (o.queue) {
      perGroup = await runGroupsOnQueue(series, forecaster, groups, { queue: o.queue, signal, onGroup: (size) => Array.from({ length: size }, tick) });
    } else if (concurrency > 1) {
      perGroup = await runGroupsInWorkers(series, forecaster, groups, { concurrency, signal, onGroup: (size) => Array.from({ length: size }, tick) });
    } else {
      perGroup = [];
      for (const group of groups) {
        perGroup.push(await forecastGroup(series, forecaster, group));
        group.forEach(tick);
      }
    }
    predicted = perGroup.flat();
  }
  const folds: Fold[] = plan.map((f, i) => ({
    index: i,
    origin: f.origin,
    originTimestamp: series.timestampAt(f.origin),
    trainStart: series.timestampAt(f.trainStart),
    trainEnd: series.timestampAt(f.origin - 1),
    refit: resolved.kind === 'recurrent' && f.refit,
    predicted: predicted[i],
  }));
  const points: ForecastPoint[] = folds.flatMap((f) =>
    f.predicted.map((p, h) => ({ timestamp: series.timestampAt(f.origin + h), step: h, actual: y[f.origin + h], predicted: p, lastKnown: y[f.origin - 1], originTimestamp: f.originTimestamp })),
  );
  const scale = naiveScale(y, start);
  return { model: resolved.name, target, horizon: o.horizon, step, start, folds, points, metrics: computeMetrics(points, scale), perStep: metricsPerStep(points, { horizon: o.horizon, scale }), elapsedMs: performance.now() - started };
}
