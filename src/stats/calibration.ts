/**
 * Calibration of quantile forecasts you can see: the PIT histogram (where each outcome fell among its forecast
 * quantiles) with a chi-square test of uniformity, and the coverage of every level, nominal next to observed.
 */
import { upperGammaRegularized } from '../util/special.js';
import { DataError } from '../errors.js';

/** A quantile forecast and its outcome (the fields of a quantile forecast point that calibration reads). */
export interface CalibrationPoint {
  /** The observed value. */
  actual: number;
  /** One forecast per level, in the order of the levels. */
  quantiles: readonly number[];
}

/** One bin of a PIT histogram: the outcomes that fell between two consecutive levels' forecasts. */
export interface PitBin {
  /** Lower probability edge (0 or a level). */
  lower: number;
  /** Upper probability edge (a level or 1). */
  upper: number;
  /** Outcomes in the bin. */
  count: number;
  /** The share a calibrated forecast puts there: upper - lower. */
  expected: number;
}

/** Pearson's chi-square test of counts against expected shares. */
export interface ChiSquareTest {
  /** sum over bins of (count - n expected)^2 / (n expected). */
  statistic: number;
  /** Degrees of freedom: the number of bins less one. */
  df: number;
  /** P(chi-square with df degrees of freedom >= statistic). */
  pValue: number;
}

/** The PIT histogram of quantile forecasts. */
export interface PitHistogram {
  /** K + 1 bins for K levels: below the first forecast, between consecutive ones, above the last. */
  bins: PitBin[];
  /** Number of outcomes. */
  count: number;
  /** Pearson's chi-square test of the counts against the expected shares (K degrees of freedom). */
  chiSquare: ChiSquareTest;
}

/** Observed against nominal coverage of one quantile level. */
export interface LevelCoverage {
  /** The level q: the share of outcomes a calibrated forecast has at or below its q-quantile. */
  nominal: number;
  /** The share observed at or below the forecast. */
  observed: number;
  /** Outcomes at or below the forecast. */
  hits: number;
}

function checkPoints(points: readonly CalibrationPoint[], levels: readonly number[], what: string): void {
  if (levels.length === 0) throw new DataError(`${what}: expected at least one quantile level, received none`);
  levels.forEach((q, i) => {
    if (!(q > 0 && q < 1) || (i > 0 && !(q > levels[i - 1])))
      throw new DataError(`${what}: levels must increase inside (0, 1): level ${i} is ${q}`);
  });
  if (points.length === 0) throw new DataError(`${what}: expected at least one forecast, received none`);
  points.forEach((p, n) => {
    if (p.quantiles.length !== levels.length)
      throw new DataError(
        `${what}: point ${n} has ${p.quantiles.length} quantiles, expected one per level (${levels.length})`,
      );
    if (!Number.isFinite(p.actual))
      throw new DataError(`${what}: point ${n} has actual ${p.actual}, expected a finite number`);
  });
}

/**
 * The probability integral transform of quantile forecasts as a histogram: the bin of an outcome is the number of
 * its forecast quantiles at or below it, so the bins count the outcomes below the first level's forecast, between
 * each pair of consecutive forecasts (at or above the lower, below the upper), and at or above the last. A calibrated
 * forecast fills bin k in proportion to its width in probability; a U shape says the quantiles are too narrow, a hump
 * too wide, a slope biased. The chi-square p-value tests the counts against those shares.
 *
 * @param points - quantile forecasts with their outcomes
 * @param levels - the levels, increasing inside (0, 1)
 * @returns the bins with counts and expected shares, and the chi-square test
 * @throws {@link DataError} for no points, bad levels, or a point with the wrong number of quantiles
 * @example
 * ```ts
 * import { pit } from 'stockcast';
 * const h = pit([{ actual: 0.3, quantiles: [-1, 0, 1] }, { actual: 2, quantiles: [-1, 0, 1] }], [0.1, 0.5, 0.9]);
 * h.bins.map((b) => b.count); // [0, 0, 1, 1]
 * ```
 */
export function pit(points: readonly CalibrationPoint[], levels: readonly number[]): PitHistogram {
  checkPoints(points, levels, 'PIT histogram');
  const K = levels.length;
  const counts = new Array<number>(K + 1).fill(0);
  for (const p of points) {
    let k = 0;
    while (k < K && p.actual >= p.quantiles[k]) k++;
    counts[k]++;
  }
  const edges = [0, ...levels, 1];
  const bins = counts.map((count, k) => ({
    lower: edges[k],
    upper: edges[k + 1],
    count,
    expected: edges[k + 1] - edges[k],
  }));
  const n = points.length;
  const statistic = bins.reduce((s, b) => s + (b.count - n * b.expected) ** 2 / (n * b.expected), 0);
  return { bins, count: n, chiSquare: { statistic, df: K, pValue: upperGammaRegularized(K / 2, statistic / 2) } };
}

/**
 * The observed coverage of every quantile level: the share of outcomes at or below the level's forecast, next to
 * the level itself. Points on the diagonal are calibrated; below it the quantiles sit too low.
 *
 * @param points - quantile forecasts with their outcomes
 * @param levels - the levels, increasing inside (0, 1)
 * @returns one `{ nominal, observed, hits }` per level
 * @throws {@link DataError} for no points, bad levels, or a point with the wrong number of quantiles
 * @example
 * ```ts
 * import { coverageByLevel } from 'stockcast';
 * coverageByLevel([{ actual: 0.3, quantiles: [-1, 0, 1] }], [0.1, 0.5, 0.9]).map((c) => c.observed); // [0, 0, 1]
 * ```
 */
export function coverageByLevel(points: readonly CalibrationPoint[], levels: readonly number[]): LevelCoverage[] {
  checkPoints(points, levels, 'coverage by level');
  return levels.map((nominal, k) => {
    const hits = points.reduce((s, p) => s + (p.actual <= p.quantiles[k] ? 1 : 0), 0);
    return { nominal, observed: hits / points.length, hits };
  });
}
