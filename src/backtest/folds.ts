/** Walk-forward folds: where each origin's training window starts, which origins refit, and the recurrent fold runner. */
import { DataError, StockcastError } from '../errors.js';
import type { Series } from '../data/series.js';
import { createForecaster } from '../models/recurrent/forecaster.js';
import type { ForecasterOptions } from '../models/recurrent/forecaster-options.js';

/** One origin of a backtest plan. @internal */
export interface FoldPlan {
  /** Origin row t: the first forecast row. */
  origin: number;
  /** First training row. */
  trainStart: number;
  /** Whether a fresh model is fitted here. */
  refit: boolean;
}

/** The rules that place origins and training windows (a subset of the walk-forward options). @internal */
export interface FoldRules {
  horizon: number;
  step?: number | undefined;
  start?: number | undefined;
  testSize?: number | undefined;
  window: 'expanding' | 'sliding';
  trainLength?: number | undefined;
  refit: 'every' | 'once' | number;
}

/**
 * Places the origins t = start, start+S, ... while t+H <= n, with their training windows and refits.
 * @internal
 */
export function planFolds(n: number, o: FoldRules): { start: number; step: number; folds: FoldPlan[] } {
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

/** Splits a plan into refit groups: consecutive origins served by one fitted model. @internal */
export function refitGroups(plan: readonly FoldPlan[]): FoldPlan[][] {
  const out: FoldPlan[][] = [];
  for (const f of plan) {
    if (f.refit || out.length === 0) out.push([f]);
    else out[out.length - 1].push(f);
  }
  return out;
}

/**
 * Forecasts of a recurrent model for the origins of one refit group: a fresh model, seeded, trained on the
 * group's window only (nothing at or after its first origin), then one batched prediction for every origin it serves.
 * @param series - the whole series
 * @param options - complete forecaster options (target and horizon set)
 * @param group - the group's origins; the first refits
 * @returns one array per origin: H forecasts, followed by H x K quantiles ([step, level]) when `options.quantiles`
 *   has K levels (the same plain arrays cross worker threads)
 * @internal
 */
export async function forecastGroup(series: Series, options: ForecasterOptions, group: readonly FoldPlan[]): Promise<number[][]> {
  const { origin, trainStart } = group[0];
  const horizon = options.horizon ?? 1;
  const forecaster = createForecaster(options);
  try {
    await forecaster.fit(series.slice(trainStart, origin));
    // An interrupted fit stops early; its forecasts would be meaningless.
    if (options.signal?.aborted) throw new StockcastError('ABORTED', 'the backtest was interrupted');
    const origins = group.map((f) => f.origin);
    // With one origin the model sees the series cut at it; several origins (refit once or every k) read their own
    // windows from the whole series, each ending before its origin.
    const view = origins.length === 1 ? series.slice(0, origin) : series;
    const values = await forecaster.predictAt(view, origins);
    const K = options.quantiles?.length ?? 0;
    const q = K > 0 ? await forecaster.predictQuantilesAt(view, origins) : undefined;
    return origins.map((_, k) => [...values.subarray(k * horizon, (k + 1) * horizon), ...(q ? q.subarray(k * horizon * K, (k + 1) * horizon * K) : [])]);
  } finally {
    forecaster.dispose();
  }
}
