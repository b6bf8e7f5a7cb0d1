/**
 * Tests of many models against one benchmark after a search: White's (2000) Reality Check and Hansen's (2005)
 * test of Superior Predictive Ability, both on the stationary bootstrap of Politis and Romano (1994).
 */
import { z } from 'zod';
import { DataError } from '../errors.js';
import { createRng } from '../util/random.js';
import { parseOptions } from '../validate.js';
import { vocabulary as v } from '../vocabulary.js';
import { checkSample } from './distributions.js';

/** Options of {@link stationaryBootstrap}, {@link realityCheck} and {@link spaTest}. */
export const BootstrapOptionsSchema = z
  .object({
    /** Mean block length (default: the cube root of the number of periods, rounded, at least 1). */
    blockLength: v.blockLength.optional(),
    /** Number of resamples (default 1000). */
    resamples: v.resamples.withDefault(),
    /** Seed of the resampling (default 42). */
    seed: v.seed.withDefault(),
  })
  .strict();

/** Options of the bootstrap tests, as accepted. */
export type BootstrapOptions = z.input<typeof BootstrapOptionsSchema>;

/** White's Reality Check. */
export interface RealityCheck {
  /** max_k sqrt(T) mean(d_k), with d_k = benchmark loss - model k's loss (positive: the model is better). */
  statistic: number;
  /** Share of resamples whose centred maximum is at least the statistic. */
  pValue: number;
  /** Index of the model with the largest mean loss reduction. */
  best: number;
}

/** Hansen's SPA test. */
export interface SpaTest {
  /** max(0, max_k sqrt(T) mean(d_k) / omega_k), omega_k the bootstrap standard deviation of sqrt(T) mean(d_k). */
  statistic: number;
  /** The consistent p-value: models far worse than the benchmark are left out of the null's recentring. */
  pValue: number;
  /** The lower bound: every model recentred at max(mean, 0). */
  pValueLower: number;
  /** The upper bound (a studentized Reality Check): every model recentred at its mean. */
  pValueUpper: number;
  /** Index of the model with the largest studentized loss reduction. */
  best: number;
}

/** The default mean block length for T periods. @internal */
export function defaultBlockLength(periods: number): number {
  return Math.max(1, Math.round(Math.cbrt(periods)));
}

/**
 * Index series of the stationary bootstrap (Politis and Romano 1994): each resample starts at a uniform index and
 * continues the block (wrapping at the end) with probability 1 - 1/blockLength, else jumps to a new uniform index,
 * so blocks have geometric lengths with mean `blockLength` and the resampled series stays stationary.
 *
 * @param periods - the series length T (at least 1)
 * @param options - `blockLength`, `resamples` and `seed` (see {@link BootstrapOptionsSchema})
 * @returns `resamples` index arrays of length T
 * @throws {@link DataError} for a length below 1; {@link ValidationError} for invalid options
 * @example
 * ```ts
 * import { stationaryBootstrap } from 'stockcast';
 * const [first] = stationaryBootstrap(10, { blockLength: 3, resamples: 1, seed: 7 });
 * console.log(Array.from(first));
 * ```
 */
export function stationaryBootstrap(periods: number, options: BootstrapOptions = {}): Int32Array[] {
  const o = parseOptions(BootstrapOptionsSchema, options, 'bootstrap options');
  if (!(Number.isInteger(periods) && periods >= 1))
    throw new DataError(`stationary bootstrap: expected a length >= 1, received ${periods}`);
  const q = 1 / (o.blockLength ?? defaultBlockLength(periods));
  const rng = createRng(o.seed);
  return Array.from({ length: o.resamples }, () => {
    const idx = new Int32Array(periods);
    idx[0] = rng.int(periods);
    for (let t = 1; t < periods; t++) idx[t] = rng.next() < q ? rng.int(periods) : (idx[t - 1] + 1) % periods;
    return idx;
  });
}

/** Loss reductions d[k][t] = benchmark[t] - losses[k][t], checked. */
function lossReductions(losses: readonly ArrayLike<number>[], benchmark: ArrayLike<number>): Float64Array[] {
  if (losses.length === 0)
    throw new DataError('bootstrap test: expected the losses of at least one model, received none');
  checkSample(benchmark, 'bootstrap test benchmark losses', 2);
  return losses.map((l, k) => {
    if (l.length !== benchmark.length) {
      throw new DataError(
        `bootstrap test: model ${k} has ${l.length} losses, the benchmark ${benchmark.length}`,
        {},
        { hint: 'give every model the losses of the same periods' },
      );
    }
    checkSample(l, `bootstrap test losses of model ${k}`, 2);
    return Float64Array.from({ length: l.length }, (_, t) => benchmark[t] - l[t]);
  });
}

const mean = (x: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
};

/** Resampled means: out[b][k] = mean over t of d[k][idx_b[t]]. */
function resampledMeans(d: readonly Float64Array[], indices: readonly ArrayLike<number>[]): Float64Array[] {
  return indices.map((idx) => {
    const out = new Float64Array(d.length);
    d.forEach((dk, k) => {
      let s = 0;
      for (let t = 0; t < idx.length; t++) s += dk[idx[t]];
      out[k] = s / idx.length;
    });
    return out;
  });
}

/** Share of values at least `x`. */
const exceedShare = (values: ArrayLike<number>, x: number) => {
  let c = 0;
  for (let i = 0; i < values.length; i++) if (values[i] >= x) c++;
  return c / values.length;
};

/** The Reality Check on given bootstrap indices (for references that fix the resamples). @internal */
export function realityCheckWith(
  losses: readonly ArrayLike<number>[],
  benchmark: ArrayLike<number>,
  indices: readonly ArrayLike<number>[],
): RealityCheck {
  const d = lossReductions(losses, benchmark);
  const n = benchmark.length;
  const means = d.map(mean);
  const root = Math.sqrt(n);
  let best = 0;
  means.forEach((m, k) => (m > means[best] ? (best = k) : 0));
  const statistic = root * means[best];
  const simulated = resampledMeans(d, indices).map((mb) => root * Math.max(...Array.from(mb, (x, k) => x - means[k])));
  return { statistic, pValue: exceedShare(simulated, statistic), best };
}

/** Hansen's SPA test on given bootstrap indices (for references that fix the resamples). @internal */
export function spaTestWith(
  losses: readonly ArrayLike<number>[],
  benchmark: ArrayLike<number>,
  indices: readonly ArrayLike<number>[],
): SpaTest {
  const d = lossReductions(losses, benchmark);
  const n = benchmark.length;
  const root = Math.sqrt(n);
  const means = d.map(mean);
  const boot = resampledMeans(d, indices);
  // omega_k^2: the bootstrap variance of sqrt(T) mean(d_k) around the sample mean.
  const omega = means.map((m, k) => Math.sqrt((n * boot.reduce((s, mb) => s + (mb[k] - m) ** 2, 0)) / boot.length));
  const studentized = means.map((m, k) =>
    omega[k] > 0 ? (root * m) / omega[k] : m > 0 ? Infinity : m < 0 ? -Infinity : 0,
  );
  let best = 0;
  studentized.forEach((s, k) => (s > studentized[best] ? (best = k) : 0));
  const statistic = Math.max(0, studentized[best]);
  // Hansen's threshold: models with sqrt(T) mean / omega below -sqrt(2 ln ln T) are taken as worse than the benchmark.
  const threshold = -Math.sqrt(2 * Math.log(Math.log(n)));
  const centres = {
    lower: means.map((m) => Math.max(m, 0)),
    consistent: means.map((m, k) => (studentized[k] >= threshold ? m : 0)),
    upper: means,
  };
  const pValue = (centre: number[]) => {
    const simulated = boot.map((mb) => {
      let max = 0;
      for (let k = 0; k < mb.length; k++)
        if (omega[k] > 0) max = Math.max(max, (root * (mb[k] - centre[k])) / omega[k]);
      return max;
    });
    return exceedShare(simulated, statistic);
  };
  return {
    statistic,
    pValue: pValue(centres.consistent),
    pValueLower: pValue(centres.lower),
    pValueUpper: pValue(centres.upper),
    best,
  };
}

/**
 * White's (2000) Reality Check: is the best of several models better than the benchmark, once the search over
 * them is allowed for? The statistic is the largest mean loss reduction (times sqrt(T)); its null distribution is
 * the stationary bootstrap's, every model recentred at its own mean. Conservative when poor models are included
 * (use {@link spaTest}).
 *
 * @param losses - one loss series per model (models x T), at the same periods as the benchmark's
 * @param benchmark - the benchmark's losses (T)
 * @param options - `blockLength`, `resamples`, `seed`
 * @returns the statistic, its p-value and the best model's index
 * @throws {@link DataError} for no models, unequal lengths, or non-finite losses
 * @example
 * ```ts
 * import { realityCheck } from 'stockcast';
 * const bench = Array.from({ length: 60 }, (_, t) => 1 + Math.sin(t) ** 2);
 * const better = bench.map((x, t) => x - 0.3 + 0.5 * Math.sin(7.3 * t));
 * const same = bench.map((x, t) => x + 0.5 * Math.cos(5.1 * t));
 * realityCheck([better, same], bench, { resamples: 500 }).pValue; // 0
 * ```
 */
export function realityCheck(
  losses: readonly ArrayLike<number>[],
  benchmark: ArrayLike<number>,
  options: BootstrapOptions = {},
): RealityCheck {
  return realityCheckWith(losses, benchmark, stationaryBootstrap(benchmark.length, options));
}

/**
 * Hansen's (2005) test of Superior Predictive Ability: the Reality Check studentized, with the consistent p-value
 * that leaves models far worse than the benchmark out of the null, so adding poor models does not hide a good one.
 * A small p-value says some model beats the benchmark; it does not say which beats the others.
 *
 * @param losses - one loss series per model (models x T), at the same periods as the benchmark's
 * @param benchmark - the benchmark's losses (T)
 * @param options - `blockLength`, `resamples`, `seed`
 * @returns the statistic, the consistent p-value with its lower and upper bounds, and the best model's index
 * @throws {@link DataError} for no models, unequal lengths, or non-finite losses
 * @example
 * ```ts
 * import { spaTest } from 'stockcast';
 * const bench = Array.from({ length: 60 }, (_, t) => 1 + Math.sin(t) ** 2);
 * const better = bench.map((x, t) => x - 0.3 + 0.5 * Math.sin(7.3 * t));
 * const poor = bench.map((x, t) => x + 2 + 0.5 * Math.cos(5.1 * t));
 * spaTest([better, poor], bench, { resamples: 500 }).best; // 0
 * ```
 */
export function spaTest(
  losses: readonly ArrayLike<number>[],
  benchmark: ArrayLike<number>,
  options: BootstrapOptions = {},
): SpaTest {
  return spaTestWith(losses, benchmark, stationaryBootstrap(benchmark.length, options));
}
