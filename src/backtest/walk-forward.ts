/** Walk-forward backtesting: origins, training windows, refits, forecasts and pooled metrics, exactly as documented. */
import { z } from 'zod';
import { DataError, StockcastError } from '../errors.js';
import type { Series } from '../data/series.js';
import { createForecaster } from '../models/forecaster.js';
import type { ForecasterOptions } from '../models/forecaster-options.js';
import { parseOptions } from '../validate.js';
import { baselineForecast } from './baselines.js';
import { computeMetrics, metricsPerStep, naiveScale, type ForecastPoint, type Metrics } from './metrics.js';
import { parseModelSpec, type BacktestModel, type ResolvedModel } from './models.js';
import { runFoldsInWorkers } from './workers.js';

/** Options of {@link walkForward} and {@link compareModels}. */
export const WalkForwardOptionsSchema = z
  .object({
    /** Target column (default: the series' only column). */
    target: z.string().min(1).optional(),
    /** H: forecast steps per origin (default 1). */
    horizon: z.number().int().positive().default(1),
    /** S: rows between origins (default H). */
    step: z.number().int().positive().optional(),
    /** First origin row (default n - testSize). */
    start: z.number().int().positive().optional(),
    /** Rows at the end to forecast over when `start` is not given (default: 20% of the series, at least H). */
    testSize: z.number().int().positive().optional(),
    /** `expanding` (y[0..t-1], default) or `sliding` (y[t-L..t-1] with L = trainLength). */
    window: z.enum(['expanding', 'sliding']).default('expanding'),
    /** L for sliding windows. */
    trainLength: z.number().int().positive().optional(),
    /** Fresh model at `every` origin (default), `once` at the first, or every k origins. */
    refit: z.union([z.enum(['every', 'once']), z.number().int().positive()]).default('every'),
    /** Options for recurrent models (lookback, epochs, units, ...); the model spec sets the cell. */
    forecaster: z.record(z.string(), z.unknown()).optional(),
    /** Run refit folds on this many worker threads (default 1: in this thread). Results are identical. */
    concurrency: z.number().int().positive().max(64).default(1),
    /** Called after each fold (progress bars). */
    onFold: z.custom<(info: { model: string; fold: number; folds: number }) => void>((v) => typeof v === 'function').optional(),
  })
  .strict()
  .refine((o) => o.window !== 'sliding' || o.trainLength !== undefined, { message: "window 'sliding' needs trainLength", path: ['trainLength'] });

/** Options of {@link walkForward}, as accepted. */
export type WalkForwardOptions = z.input<typeof WalkForwardOptionsSchema>;
type Parsed = z.output<typeof WalkForwardOptionsSchema>;

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

/** Origins and training windows of a backtest. @internal */
export interface FoldPlan {
  origin: number;
  trainStart: number;
  refit: boolean;
}

/** @internal */
export function resolveTarget(series: Series, target: string | undefined): string {
  if (target) {
    series.columnRef(target); // throws, naming the columns that exist
    return target;
  }
  if (series.columns.length === 1) return series.columns[0];
  throw new DataError(`the series has several columns (${series.columns.join(', ')}): say which is the target`);
}

/** @internal */
export function planFolds(n: number, o: Parsed): { start: number; step: number; folds: FoldPlan[] } {
  const H = o.horizon;
  const step = o.step ?? H;
  const start = o.start ?? n - (o.testSize ?? Math.max(H, Math.floor(n * 0.2)));
  if (start < 1 || start + H > n) throw new DataError(`the first origin must leave at least one training row and ${H} forecast rows: start ${start} with ${n} rows`, {}, { hint: 'lower testSize or start' });
  const every = o.refit === 'every' ? 1 : o.refit === 'once' ? Infinity : o.refit;
  const folds: FoldPlan[] = [];
  for (let t = start, i = 0; t + H <= n; t += step, i++) {
    const trainStart = o.window === 'sliding' ? Math.max(0, t - o.trainLength!) : 0;
    folds.push({ origin: t, trainStart, refit: i % every === 0 });
  }
  return { start, step, folds };
}

/** Forecasts of a recurrent model for every fold; a fresh, seeded model per refit, trained on its window only. @internal */
export async function recurrentForecasts(series: Series, model: ResolvedModel & { kind: 'recurrent' }, target: string, plan: FoldPlan[], o: Parsed, onFold?: () => void): Promise<number[][]> {
  // One training thread per fold: the backtest uses the cores across folds (concurrency), so a fold trains the
  // same way wherever it runs and results do not depend on concurrency.
  const options = { lookback: 30, epochs: 20, units: 32, ...(o.forecaster as Partial<ForecasterOptions>), ...model.forecaster, target, horizon: o.horizon, threads: 1 } as ForecasterOptions;
  const out: number[][] = [];
  for (let i = 0; i < plan.length; ) {
    let j = i + 1;
    while (j < plan.length && !plan[j].refit) j++;
    const { origin, trainStart } = plan[i];
    const forecaster = createForecaster(options);
    try {
      // Nothing at or after the origin is visible while fitting.
      await forecaster.fit(series.slice(trainStart, origin));
      // An interrupted fit stops early; its forecasts would be meaningless.
      if (options.signal?.aborted) throw new StockcastError('ABORTED', 'the backtest was interrupted');
      const origins = plan.slice(i, j).map((f) => f.origin);
      // One batched call for all origins this model serves; with refit every that is just row t, cut at t.
      const view = j - i === 1 ? series.slice(0, origin) : series;
      const values = await forecaster.predictAt(view, origins);
      for (let k = 0; k < origins.length; k++) out.push(Array.from(values.subarray(k * o.horizon, (k + 1) * o.horizon)));
    } finally {
      forecaster.dispose();
    }
    for (let k = i; k < j; k++) onFold?.();
    i = j;
  }
  return out;
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
  const target = resolveTarget(series, o.target);
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
  } else if (o.concurrency > 1 && plan.filter((f) => f.refit).length > 1) {
    predicted = await runFoldsInWorkers(series, resolved, target, plan, o, tick);
  } else {
    predicted = await recurrentForecasts(series, resolved, target, plan, o, tick);
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
