/** Metrics for quantile forecasts: pinball loss per level, coverage, width and Winkler score per central interval, CRPS from quantiles; pooled and per step. */
import { DataError } from '../errors.js';
import { innovationQuantile } from '../models/econometric/value-at-risk.js';

/** One quantile forecast: the levels' forecasts for a row and what happened. */
export interface QuantileForecastPoint {
  /** Timestamp of the forecast row. */
  timestamp: number;
  /** 0-based step within the horizon (h). */
  step: number;
  /** The observed value. */
  actual: number;
  /** One forecast per level, in the order of the levels (increasing). */
  quantiles: number[];
}

/** Coverage, width and Winkler score of one central interval [q_a, q_{1-a}]. */
export interface IntervalMetrics {
  /** Lower level a. */
  lower: number;
  /** Upper level 1 - a. */
  upper: number;
  /** Nominal coverage 1 - 2a, 0..1. */
  nominal: number;
  /** Share of points inside [lower forecast, upper forecast], 0..1. */
  coverage: number;
  /** Mean upper - lower forecast. */
  meanWidth: number;
  /** Mean interval (Winkler) score at alpha = 2a: width + (2/alpha)(l - y) if y < l, + (2/alpha)(y - u) if y > u. */
  winkler: number;
}

/** The mean pinball loss of one quantile level. */
export interface LevelLoss {
  /** The level q. */
  level: number;
  /** Mean pinball loss at q. */
  loss: number;
}

/** The probabilistic metrics of a set of quantile forecasts. */
export interface ProbabilisticMetrics {
  /** Mean pinball loss per level, in the order of the levels. */
  pinball: LevelLoss[];
  /** The mean of the per-level pinball losses. */
  meanPinball: number;
  /** One entry per central interval: each level a < 0.5 whose partner 1 - a is also a level. */
  intervals: IntervalMetrics[];
  /**
   * CRPS from the quantiles by the quadrature of {@link crpsFromQuantiles}, averaged over points; absent (not NaN)
   * when the levels cannot support it ({@link crpsSupport}: off by more than 15% for a calibrated normal).
   */
  crps?: number;
  /** Number of points. */
  count: number;
}

/**
 * The pinball (quantile) loss of one forecast: q (y - f) if y >= f, else (1 - q)(f - y).
 *
 * @param actual - the observed value y
 * @param forecast - the quantile forecast f
 * @param level - the level q in (0, 1)
 * @returns the loss (>= 0)
 * @example
 * ```ts
 * import { pinballLoss } from 'stockcast';
 * pinballLoss(10, 8, 0.9); // 1.8
 * pinballLoss(10, 12, 0.9); // 0.2
 * ```
 */
export function pinballLoss(actual: number, forecast: number, level: number): number {
  const e = actual - forecast;
  return e >= 0 ? level * e : (level - 1) * e;
}

/** Checks quantile levels: strictly increasing, inside (0, 1). @internal */
export function checkLevels(levels: readonly number[]): void {
  if (levels.length === 0) throw new DataError('quantile levels: expected at least one level in (0, 1), received none');
  levels.forEach((q, i) => {
    if (!(q > 0 && q < 1)) throw new DataError(`quantile level ${i} must be in (0, 1): received ${q}`);
    if (i > 0 && !(q > levels[i - 1]))
      throw new DataError(`quantile levels must increase: level ${i} (${q}) follows ${levels[i - 1]}`);
  });
}

/** The cells of the quantile CRPS quadrature ({@link crpsCells}). */
export interface CrpsCells {
  /** Each level's cell width; they sum to 1. */
  weights: number[];
  /** Each cell's centre, where its pinball loss is taken. */
  centres: number[];
}

/** Whether levels support a CRPS ({@link crpsSupport}). */
export interface CrpsSupport {
  /** The quadrature's expected value for a calibrated normal over the exact 1/sqrt(pi), minus 1. */
  relativeError: number;
  /** |relativeError| <= {@link CRPS_TOLERANCE}. */
  supported: boolean;
}

/** Relative error of the quantile CRPS for a calibrated normal beyond which `crps` is not reported. */
export const CRPS_TOLERANCE = 0.15;

/**
 * The quadrature behind the quantile CRPS. CRPS = 2 int_0^1 rho_tau(y - Q(tau)) dtau (Gneiting and Raftery 2007);
 * only Q(tau_k) is known, so level k stands for its cell: from the midpoint with the level below to the midpoint
 * with the level above, the first cell starting at 0 and the last ending at 1 (tails: the outer quantiles stand
 * for everything beyond them). rho_tau is linear in tau, so each cell integrates exactly to its width times
 * rho at the cell's centre. With increasing quantiles this is the exact CRPS of the distribution that puts mass
 * `weights[k]` on q_k.
 *
 * @param levels - the levels, strictly increasing in (0, 1)
 * @returns each level's cell width (summing to 1) and the cell's centre
 * @throws {@link DataError} for invalid levels
 * @example
 * ```ts
 * import { crpsCells } from 'stockcast';
 * crpsCells([0.05, 0.5, 0.95]); // { weights: [0.275, 0.45, 0.275], centres: [0.1375, 0.5, 0.8625] }
 * ```
 */
export function crpsCells(levels: readonly number[]): CrpsCells {
  checkLevels(levels);
  const edges = [0, ...levels.slice(1).map((q, k) => (levels[k] + q) / 2), 1];
  return {
    weights: levels.map((_, k) => edges[k + 1] - edges[k]),
    centres: levels.map((_, k) => (edges[k] + edges[k + 1]) / 2),
  };
}

/**
 * The CRPS of one quantile forecast by the quadrature of {@link crpsCells}: 2 sum_k w_k rho_{c_k}(y - q_k).
 *
 * @param actual - the observed value y
 * @param quantiles - one forecast per level
 * @param levels - the levels, strictly increasing in (0, 1)
 * @returns the CRPS (>= 0), in the units of y
 * @throws {@link DataError} for invalid levels or a quantile count that does not match them
 * @example
 * ```ts
 * import { crpsFromQuantiles } from 'stockcast';
 * // 0.2488... (the exact CRPS of N(0, 1) at 0 is 0.2337)
 * crpsFromQuantiles(0, [-1.6449, 0, 1.6449], [0.05, 0.5, 0.95]);
 * ```
 */
export function crpsFromQuantiles(actual: number, quantiles: ArrayLike<number>, levels: readonly number[]): number {
  const { weights, centres } = crpsCells(levels);
  if (quantiles.length !== levels.length) {
    throw new DataError(`expected one quantile per level (${levels.length}), received ${quantiles.length}`);
  }
  let sum = 0;
  for (let k = 0; k < levels.length; k++) sum += weights[k] * pinballLoss(actual, quantiles[k], centres[k]);
  return 2 * sum;
}

/**
 * Whether a set of levels supports the quantile CRPS: its expected value for a perfectly calibrated normal
 * forecast, sum_k 2 w_k (phi(z_k) + z_k (tau_k - c_k)) with z_k the normal quantile of tau_k (the expected pinball
 * loss of a normal's own quantile), against the exact 1/sqrt(pi) per unit of scale. Within
 * {@link CRPS_TOLERANCE} (15%) the levels support it: [0.05, 0.5, 0.95] is off by +11.8%, 99 evenly spaced levels
 * by +0.01%, [0.01, 0.05, 0.5] by +26.5% (no upper tail).
 *
 * @param levels - the levels, strictly increasing in (0, 1)
 * @returns the relative error for a calibrated normal and whether it is within the tolerance
 * @throws {@link DataError} for invalid levels
 * @example
 * ```ts
 * import { crpsSupport } from 'stockcast';
 * crpsSupport([0.05, 0.5, 0.95]); // { relativeError: 0.118..., supported: true }
 * ```
 */
export function crpsSupport(levels: readonly number[]): CrpsSupport {
  const { weights, centres } = crpsCells(levels);
  let expected = 0;
  levels.forEach((tau, k) => {
    const z = innovationQuantile(tau, { distribution: 'normal' });
    expected += 2 * weights[k] * (Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI) + z * (tau - centres[k]));
  });
  const relativeError = expected * Math.sqrt(Math.PI) - 1;
  return { relativeError, supported: Math.abs(relativeError) <= CRPS_TOLERANCE };
}

/**
 * Pooled probabilistic metrics of quantile forecasts. Intervals pair each level a < 0.5 with 1 - a when both
 * are present (levels are matched to 1e-9). `crps` is the mean of {@link crpsFromQuantiles}, present only where
 * {@link crpsSupport} accepts the levels.
 *
 * @param points - the forecasts, each with one quantile per level
 * @param levels - the levels, strictly increasing in (0, 1)
 * @returns pinball per level, intervals, CRPS (when the levels support it) and the count (NaN metrics for no points)
 * @throws {@link DataError} for invalid levels or a point with the wrong number of quantiles
 * @example
 * ```ts
 * import { probabilisticMetrics } from 'stockcast';
 * const m = probabilisticMetrics([{ timestamp: 0, step: 0, actual: 12, quantiles: [8, 10, 11] }], [0.1, 0.5, 0.9]);
 * m.intervals[0]; // { lower: 0.1, upper: 0.9, nominal: 0.8, coverage: 0, meanWidth: 3, winkler: 13 }
 * ```
 */
export function probabilisticMetrics(
  points: readonly QuantileForecastPoint[],
  levels: readonly number[],
): ProbabilisticMetrics {
  checkLevels(levels);
  const K = levels.length;
  const pairs: [number, number][] = [];
  levels.forEach((a, i) => {
    const j = levels.findIndex((b) => Math.abs(b - (1 - a)) < 1e-9);
    if (a < 0.5 && j > i) pairs.push([i, j]);
  });
  const loss = new Float64Array(K);
  const withCrps = crpsSupport(levels).supported;
  let crps = 0;
  const inside = new Float64Array(pairs.length);
  const width = new Float64Array(pairs.length);
  const score = new Float64Array(pairs.length);
  points.forEach((p, n) => {
    if (p.quantiles.length !== K)
      throw new DataError(`point ${n} has ${p.quantiles.length} quantiles, expected one per level (${K})`);
    for (let k = 0; k < K; k++) loss[k] += pinballLoss(p.actual, p.quantiles[k], levels[k]);
    if (withCrps) crps += crpsFromQuantiles(p.actual, p.quantiles, levels);
    pairs.forEach(([i, j], m) => {
      const l = p.quantiles[i];
      const u = p.quantiles[j];
      const alpha = 2 * levels[i];
      width[m] += u - l;
      if (p.actual >= l && p.actual <= u) inside[m]++;
      score[m] +=
        u - l + (p.actual < l ? (2 / alpha) * (l - p.actual) : 0) + (p.actual > u ? (2 / alpha) * (p.actual - u) : 0);
    });
  });
  const n = points.length;
  const pinball = levels.map((level, k) => ({ level, loss: loss[k] / n }));
  const meanPinball = pinball.reduce((s, x) => s + x.loss, 0) / K;
  return {
    pinball,
    meanPinball,
    intervals: pairs.map(([i, j], m) => ({
      lower: levels[i],
      upper: levels[j],
      nominal: levels[j] - levels[i],
      coverage: inside[m] / n,
      meanWidth: width[m] / n,
      winkler: score[m] / n,
    })),
    ...(withCrps ? { crps: crps / n } : {}),
    count: n,
  };
}

/**
 * {@link probabilisticMetrics} for each horizon step h = 0..H-1.
 *
 * @param points - the forecasts
 * @param options - the `levels` and the `horizon` H
 * @returns one set of metrics per step
 * @throws {@link DataError} as {@link probabilisticMetrics}
 * @example
 * ```ts
 * import { probabilisticMetricsPerStep } from 'stockcast';
 * const pts = [0, 1].map((step) => ({ timestamp: step, step, actual: step, quantiles: [0, 1] }));
 * probabilisticMetricsPerStep(pts, { levels: [0.1, 0.9], horizon: 2 }).map((m) => m.intervals[0].coverage); // [1, 1]
 * ```
 */
export function probabilisticMetricsPerStep(
  points: readonly QuantileForecastPoint[],
  options: { levels: readonly number[]; horizon: number },
): ProbabilisticMetrics[] {
  return Array.from({ length: options.horizon }, (_, h) =>
    probabilisticMetrics(
      points.filter((p) => p.step === h),
      options.levels,
    ),
  );
}
