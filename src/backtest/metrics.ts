/** Forecast accuracy metrics, each defined once and pooled over forecast points. */
import type { TargetKind } from '../models/contract.js';

/** One forecast point: what was predicted for a row, what happened, and the last value known at the origin. */
export interface ForecastPoint {
  /** Timestamp of the forecast row. */
  timestamp: number;
  /** 0-based step within the horizon (h). */
  step: number;
  /** The observed value. */
  actual: number;
  /** The forecast. */
  predicted: number;
  /** y[t-1]: the last value known at the origin (for directional accuracy). */
  lastKnown: number;
  /** Timestamp of the fold's origin row. */
  originTimestamp: number;
}

/** The accuracy metrics. Percentages are 0..100. */
export interface Metrics {
  /** Mean absolute error. */
  mae: number;
  /** Root mean squared error. */
  rmse: number;
  /** Mean absolute percentage error, 100 mean |e|/|actual| over points with actual != 0 (NaN when none). */
  mape: number;
  /** Symmetric MAPE, 100 mean 2|e|/(|actual|+|predicted|); a point where both are 0 counts 0. */
  smape: number;
  /** Mean absolute scaled error: mae / the in-sample naive MAE (NaN when that scale is unknown or 0). */
  mase: number;
  /**
   * 100 x share of the points where the forecast moves (predicted != lastKnown) whose direction is right:
   * sign(predicted - lastKnown) = sign(actual - lastKnown). A forecast equal to the last value (naive, or a model
   * that kept its untrained start) says nothing about direction and is not counted; where no forecast moves it is
   * NaN (null in JSON, `n/a` in tables; ranked last).
   */
  directionalAccuracy: number;
  /**
   * Volatility and variance targets only (absent otherwise): QLIKE, mean(s2/h - ln(s2/h) - 1) with s2 the realized
   * and h the forecast variance (volatilities squared first); NaN when a value is not positive (see `qlike`).
   */
  qlike?: number;
  /** Volatility and variance targets only (absent otherwise): mean((ln s2 - ln h)^2), NaN as `qlike`. */
  mseLog?: number;
  /** Number of points. */
  count: number;
}

/**
 * The in-sample naive scale for MASE: mean |y[i] - y[i-1]| over i = 1..end-1.
 * @param y - the target column
 * @param end - rows before this index are in-sample (the first origin)
 * @returns the scale, NaN with fewer than two rows
 * @example
 * ```ts
 * import { naiveScale } from 'stockcast';
 * naiveScale([1, 3, 2], 3); // 1.5
 * ```
 */
export function naiveScale(y: ArrayLike<number>, end: number): number {
  if (end < 2) return Number.NaN;
  let sum = 0;
  for (let i = 1; i < end; i++) sum += Math.abs(y[i] - y[i - 1]);
  return sum / (end - 1);
}

/**
 * QLIKE and log MSE pooled over points, from logs (so tiny daily variances lose no precision): the same numbers as
 * `qlike` and `mseLog`, NaN (not an error) when a realized value or forecast is not positive.
 */
function volatilityLosses(points: readonly ForecastPoint[], kind: 'volatility' | 'variance'): [number, number] {
  const power = kind === 'volatility' ? 2 : 1;
  let q = 0;
  let l = 0;
  for (const p of points) {
    if (!(p.actual > 0 && p.predicted > 0 && Number.isFinite(p.actual) && Number.isFinite(p.predicted))) {
      return [Number.NaN, Number.NaN];
    }
    const d = power * (Math.log(p.actual) - Math.log(p.predicted));
    q += Math.exp(d) - d - 1;
    l += d * d;
  }
  return [q / points.length, l / points.length];
}

/**
 * Computes every metric over the points, pooled.
 * @param points - forecast points
 * @param scale - the MASE scale from {@link naiveScale}
 * @param targetKind - what the target is (default `price`): on `volatility` and `variance` targets the metrics add
 *   `qlike` and `mseLog`
 * @returns the metrics (NaN for an empty set)
 * @example
 * ```ts
 * import { computeMetrics } from 'stockcast';
 * computeMetrics([{ timestamp: 0, step: 0, actual: 10, predicted: 8, lastKnown: 9, originTimestamp: 0 }], 1).mae; // 2
 * const point = { timestamp: 0, step: 0, actual: 2e-4, predicted: 1e-4, lastKnown: 1e-4, originTimestamp: 0 };
 * computeMetrics([point], 1, 'variance').qlike; // 0.3068528...: 2 - ln 2 - 1
 * ```
 */
export function computeMetrics(
  points: readonly ForecastPoint[],
  scale: number,
  targetKind: TargetKind = 'price',
): Metrics {
  let abs = 0;
  let sq = 0;
  let pct = 0;
  let pctCount = 0;
  let smape = 0;
  let direction = 0;
  let moves = 0;
  for (const p of points) {
    const e = p.actual - p.predicted;
    abs += Math.abs(e);
    sq += e * e;
    if (p.actual !== 0) {
      pct += Math.abs(e) / Math.abs(p.actual);
      pctCount++;
    }
    const denominator = Math.abs(p.actual) + Math.abs(p.predicted);
    smape += denominator === 0 ? 0 : (2 * Math.abs(e)) / denominator;
    const forecastMove = Math.sign(p.predicted - p.lastKnown);
    if (forecastMove !== 0) {
      moves++;
      if (forecastMove === Math.sign(p.actual - p.lastKnown)) direction++;
    }
  }
  const n = points.length;
  const mae = abs / n;
  return {
    mae,
    rmse: Math.sqrt(sq / n),
    mape: pctCount > 0 ? (100 * pct) / pctCount : Number.NaN,
    smape: (100 * smape) / n,
    mase: scale > 0 ? mae / scale : Number.NaN,
    directionalAccuracy: moves > 0 ? (100 * direction) / moves : Number.NaN,
    ...(targetKind === 'volatility' || targetKind === 'variance' ? losses(points, targetKind) : {}),
    count: n,
  };
}

/** QLIKE and log MSE as metrics (NaN for no point, as every other metric: 0 / 0). */
function losses(points: readonly ForecastPoint[], kind: 'volatility' | 'variance'): { qlike: number; mseLog: number } {
  const [qlike, mseLog] = volatilityLosses(points, kind);
  return { qlike, mseLog };
}

/**
 * Metrics for each horizon step h = 0..H-1.
 * @param points - forecast points
 * @param options - `horizon` H, the MASE `scale` from {@link naiveScale} and the `targetKind` (default `price`;
 *   volatility and variance targets add `qlike` and `mseLog`)
 * @returns one Metrics per step
 * @example
 * ```ts
 * import { metricsPerStep } from 'stockcast';
 * const points = [0, 1].map((step) => ({ timestamp: step, step, actual: 10, predicted: 9 - step, lastKnown: 9, originTimestamp: 0 }));
 * metricsPerStep(points, { horizon: 2, scale: 1 }).map((m) => m.mae); // [1, 2]
 * ```
 */
export function metricsPerStep(
  points: readonly ForecastPoint[],
  options: { horizon: number; scale: number; targetKind?: TargetKind },
): Metrics[] {
  const { horizon, scale, targetKind } = options;
  const at = (h: number) => points.filter((p) => p.step === h);
  return Array.from({ length: horizon }, (_, h) => computeMetrics(at(h), scale, targetKind));
}

/**
 * The points of a `horizonMean` backtest: each origin's H points (of one symbol) become one point whose actual and
 * forecast are the means over the H steps, stamped with the last step's timestamp, at step 0. An origin without all
 * H steps (a symbol whose rows end inside the span) has no mean to score and gives no point.
 * @internal
 */
export function meanPoints<P extends ForecastPoint & { symbol?: string }>(points: readonly P[], horizon: number): P[] {
  const groups = new Map<string, P[]>();
  for (const p of points) {
    const key = `${p.symbol ?? ''}\u0000${p.originTimestamp}`;
    const group = groups.get(key);
    if (group) group.push(p);
    else groups.set(key, [p]);
  }
  const out: P[] = [];
  for (const group of groups.values()) {
    if (group.length !== horizon) continue;
    const actual = stepMean(group.map((p) => p.actual));
    const predicted = stepMean(group.map((p) => p.predicted));
    out.push({ ...group[group.length - 1], step: 0, actual, predicted });
  }
  return out;
}

/**
 * The mean of a forecast's steps as x0 + mean(x - x0): equal values give that value back exactly (a naive
 * forecast's mean stays its last value, where a plain sum could come out one bit off).
 * @internal
 */
export function stepMean(xs: ArrayLike<number>): number {
  const x0 = xs[0];
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i] - x0;
  return x0 + sum / xs.length;
}
