/**
 * Ranking forecasts as the M6 competition scored them: realized return quintiles, quintile probabilities drawn
 * from each asset's forecast distribution, and the ranked probability score.
 */
import { z } from 'zod';
import { DataError } from '../errors.js';
import { createRng } from '../util/random.js';
import { parseOptions } from '../validate.js';
import { vocabulary as v } from '../vocabulary.js';
import { normalQuantile } from './distributions.js';

/** Options of {@link quintileProbabilities}. */
export const QuintileOptionsSchema = z
  .object({
    /** Monte Carlo draws (default 1000). */
    draws: v.draws.withDefault(),
    /** Seed of the draws (default 42). */
    seed: v.seed.withDefault(),
  })
  .strict();

/** Options of {@link quintileProbabilities}, as accepted. */
export type QuintileOptions = z.input<typeof QuintileOptionsSchema>;

/** The number of ranks (quintiles) of the M6 score. */
export const QUINTILES = 5;

/**
 * The ranked probability score of quintile forecasts, as the M6 competition defines it: for each asset, the mean over
 * the five ranks of the squared difference between the cumulative forecast and the cumulative outcome, then the mean
 * over assets. 0 is perfect; the uniform forecast (0.2 each) scores 0.16 when the quintiles are equally full.
 *
 * @param probabilities - one row of 5 probabilities per asset (quintile 1 = the lowest return first); each row sums
 * to 1
 * @param outcomes - the realized quintile (1-5) of each asset
 * @returns the mean score over assets
 * @throws {@link DataError} for rows that are not 5 probabilities in [0, 1] summing to 1 within 1e-9, quintiles
 * outside 1-5, or unequal counts
 * @example
 * ```ts
 * import { rankedProbabilityScore } from 'stockcast';
 * rankedProbabilityScore([[0.2, 0.2, 0.2, 0.2, 0.2]], [3]); // 0.08
 * rankedProbabilityScore([[0, 0, 1, 0, 0]], [3]); // 0
 * ```
 */
export function rankedProbabilityScore(
  probabilities: readonly ArrayLike<number>[],
  outcomes: ArrayLike<number>,
): number {
  if (probabilities.length !== outcomes.length)
    throw new DataError(
      `ranked probability score: ${probabilities.length} probability rows for ${outcomes.length} outcomes; ` +
        'expected one row per asset',
    );
  if (probabilities.length === 0)
    throw new DataError('ranked probability score: expected at least one asset, received none');
  let total = 0;
  probabilities.forEach((row, i) => {
    if (row.length !== QUINTILES)
      throw new DataError(
        `ranked probability score: row ${i} has ${row.length} probabilities, expected ${QUINTILES} (one per quintile)`,
      );
    let sum = 0;
    for (let j = 0; j < QUINTILES; j++) {
      if (!(row[j] >= 0 && row[j] <= 1))
        throw new DataError(
          `ranked probability score: row ${i} has probability ${row[j]} at quintile ${j + 1}, ` +
            'expected a number in [0, 1]',
        );
      sum += row[j];
    }
    if (Math.abs(sum - 1) > 1e-9)
      throw new DataError(
        `ranked probability score: row ${i} sums to ${sum}, expected 1 (within 1e-9)`,
        {},
        { hint: 'normalize each row' },
      );
    const q = outcomes[i];
    if (!(Number.isInteger(q) && q >= 1 && q <= QUINTILES))
      throw new DataError(`ranked probability score: outcome ${i} is ${q}, expected a quintile 1-5`);
    let cumP = 0;
    let s = 0;
    for (let j = 0; j < QUINTILES; j++) {
      cumP += row[j];
      s += (cumP - (j + 1 >= q ? 1 : 0)) ** 2;
    }
    total += s / QUINTILES;
  });
  return total / probabilities.length;
}

/**
 * The return quintile (1 = lowest) of each asset: by its position p (0-based, ties sharing their mean position) in
 * increasing order, quintile floor(5 p / N) + 1, so 100 assets fill each quintile with 20.
 *
 * @param returns - one realized return per asset
 * @returns one quintile 1-5 per asset
 * @throws {@link DataError} for non-finite returns or no assets
 * @example
 * ```ts
 * import { returnQuintiles } from 'stockcast';
 * returnQuintiles([0.03, -0.01, 0.0, 0.02, -0.05]); // [5, 2, 3, 4, 1]
 * ```
 */
export function returnQuintiles(returns: ArrayLike<number>): number[] {
  const n = returns.length;
  if (n === 0) throw new DataError('return quintiles: expected at least one return, received none');
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(returns[i]))
      throw new DataError(`return quintiles: return ${i} is ${returns[i]}, expected a finite number`);
  const out = new Array<number>(n);
  quintilesInto(returns, new Float64Array(n), out);
  return out;
}

/**
 * The quintiles of x into `out`, through a sorted copy (a native numeric sort, fast in the Monte Carlo loop): the
 * equal values of x occupy positions first..last of the sorted copy, and share the mean position (first + last) / 2.
 */
function quintilesInto(x: ArrayLike<number>, sorted: Float64Array, out: { [i: number]: number }): void {
  const n = x.length;
  for (let i = 0; i < n; i++) sorted[i] = x[i];
  sorted.sort();
  for (let i = 0; i < n; i++) {
    const v = x[i];
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    const first = lo;
    hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] <= v) lo = mid + 1;
      else hi = mid;
    }
    out[i] = Math.min(QUINTILES, Math.floor((QUINTILES * ((first + lo - 1) / 2)) / n) + 1);
  }
}

/**
 * One asset's forecast distribution for the Monte Carlo: a quantile function read in normal scores, linear between
 * knots. A normal forecast has the knots -1 and 1 (mean -/+ sd); quantile forecasts have their levels' normal scores,
 * extended linearly beyond the outermost two (exact for normal quantiles).
 */
interface ScoreQuantiles {
  knots: number[];
  values: number[];
}

function valueAt(f: ScoreQuantiles, z: number): number {
  const { knots, values } = f;
  const last = knots.length - 1;
  if (last === 0) return values[0];
  let i = 0;
  if (z >= knots[last]) i = last - 1;
  else if (z > knots[0]) while (z > knots[i + 1]) i++;
  return values[i] + ((values[i + 1] - values[i]) * (z - knots[i])) / (knots[i + 1] - knots[i]);
}

/** A normal return distribution. */
export interface NormalReturn {
  /** The expected return. */
  mean: number;
  /** Its standard deviation (0: a sure return). */
  sd: number;
}

/** A return distribution given by quantile forecasts. */
export interface QuantileReturn {
  /** The levels, increasing inside (0, 1). */
  levels: readonly number[];
  /** The return quantile at each level, not decreasing. */
  quantiles: readonly number[];
}

/** An asset's return distribution: normal (`mean`, `sd`) or quantile forecasts at `levels`. */
export type AssetDistribution = NormalReturn | QuantileReturn;

function scoreQuantiles(d: AssetDistribution, i: number): ScoreQuantiles {
  if ('mean' in d) {
    if (!Number.isFinite(d.mean) || !(d.sd >= 0))
      throw new DataError(
        `quintile probabilities: asset ${i} has mean ${d.mean} and sd ${d.sd}; expected a finite mean and sd >= 0`,
      );
    return d.sd === 0 ? { knots: [0], values: [d.mean] } : { knots: [-1, 1], values: [d.mean - d.sd, d.mean + d.sd] };
  }
  if (d.levels.length < 2 || d.levels.length !== d.quantiles.length)
    throw new DataError(
      `quintile probabilities: asset ${i} needs at least two levels with one quantile each, ` +
        `received ${d.levels.length} levels and ${d.quantiles.length} quantiles`,
    );
  d.quantiles.forEach((q, k) => {
    if (!Number.isFinite(q) || (k > 0 && q < d.quantiles[k - 1]))
      throw new DataError(
        `quintile probabilities: asset ${i} has quantile ${q} at level ${d.levels[k]}, ` +
          'expected finite quantiles that do not decrease',
      );
  });
  return { knots: d.levels.map((l) => normalQuantile(l)), values: [...d.quantiles] };
}

/** A standard normal draw (Box-Muller on the seeded generator). */
function normalDraw(next: () => number): number {
  const u = 1 - next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
}

/**
 * The probability that each asset's return falls in each quintile of the cross-section, by Monte Carlo: `draws`
 * joint draws of independent returns from each asset's distribution, each ranked into quintiles as
 * {@link returnQuintiles} ranks realized returns. Rows sum to 1 (to rounding).
 *
 * @param assets - each asset's return distribution: `{ mean, sd }` (normal) or `{ levels, quantiles }`
 * @param options - `draws` (Monte Carlo draws) and `seed`
 * @returns one row of 5 probabilities per asset
 * @throws {@link DataError} for fewer than 5 assets or an invalid distribution; {@link ValidationError} for bad options
 * @example
 * ```ts
 * import { quintileProbabilities } from 'stockcast';
 * const assets = [-2, -1, 0, 1, 2].map((mean) => ({ mean: mean / 100, sd: 0.01 }));
 * quintileProbabilities(assets, { draws: 2000, seed: 1 })[4][4]; // 0.724
 * ```
 */
export function quintileProbabilities(assets: readonly AssetDistribution[], options: QuintileOptions = {}): number[][] {
  const o = parseOptions(QuintileOptionsSchema, options, 'quintile probability options');
  const n = assets.length;
  if (n < QUINTILES)
    throw new DataError(`quintile probabilities: expected at least ${QUINTILES} assets, received ${n}`);
  const fs = assets.map(scoreQuantiles);
  const rng = createRng(o.seed);
  const counts = Array.from({ length: n }, () => new Float64Array(QUINTILES));
  const x = new Float64Array(n);
  const sorted = new Float64Array(n);
  const q = new Uint8Array(n);
  for (let b = 0; b < o.draws; b++) {
    for (let i = 0; i < n; i++) x[i] = valueAt(fs[i], normalDraw(rng.next));
    quintilesInto(x, sorted, q);
    for (let i = 0; i < n; i++) counts[i][q[i] - 1]++;
  }
  return counts.map((c) => Array.from(c, (k) => k / o.draws));
}
