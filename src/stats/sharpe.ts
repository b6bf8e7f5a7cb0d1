/**
 * Sharpe ratios with their uncertainty: the standard error under non-normal (Mertens 2002, Opdyke 2007) or
 * autocorrelated (Lo 2002) returns, and the Probabilistic and Deflated Sharpe Ratios of Bailey and Lopez de Prado.
 */
import { z } from 'zod';
import { DataError } from '../errors.js';
import { parseOptions } from '../validate.js';
import { vocabulary as v } from '../vocabulary.js';
import { checkSample, normalCdf, normalQuantile, sampleMoments } from './distributions.js';

/** Options of {@link sharpeRatio}. */
export const SharpeOptionsSchema = z
  .object({
    /**
     * Periods per year: the Sharpe ratio and its standard error are annualized by sqrt(periodsPerYear); per period
     * without.
     */
    periodsPerYear: v.periodsPerYear.optional(),
    /** `non-normal` (default) or `autocorrelated`. */
    sharpeError: v.sharpeError.withDefault(),
    /** Newey-West lags of the `autocorrelated` form (default floor(4 (T/100)^(2/9))). */
    lags: v.lags.optional(),
  })
  .strict();

/** Options of {@link sharpeRatio}, as accepted. */
export type SharpeOptions = z.input<typeof SharpeOptionsSchema>;

/** A Sharpe ratio and its standard error. */
export interface SharpeEstimate {
  /** mean / sample standard deviation, times sqrt(periodsPerYear) when given; 0 when the returns do not vary. */
  sharpe: number;
  /** Its standard error on the same scale; NaN when the returns do not vary. */
  standardError: number;
}

/** Summary statistics of a return series, in place of the returns (for published worked examples). */
export interface SharpeSummary {
  /** The per-period Sharpe ratio (mean over sample standard deviation). */
  sharpe: number;
  /** The number of returns T. */
  observations: number;
  /** Sample skewness (third standardized moment). */
  skewness: number;
  /** Non-excess kurtosis (fourth standardized moment: 3 for normal returns). */
  kurtosis: number;
}

/** Options of {@link probabilisticSharpe}. */
export const ProbabilisticSharpeOptionsSchema = z
  .object({
    /** The per-period Sharpe ratio to beat (default 0). */
    benchmark: z
      .number()
      .finite()
      .default(v.benchmark.default as number),
  })
  .strict();

/** Options of {@link probabilisticSharpe}, as accepted. */
export type ProbabilisticSharpeOptions = z.input<typeof ProbabilisticSharpeOptionsSchema>;

/** Options of {@link deflatedSharpe}. */
export const DeflatedSharpeOptionsSchema = z
  .object({
    /** How many strategies (configurations, models) the one tested was chosen among. */
    trials: v.trials.schema,
    /** The variance of those trials' per-period Sharpe ratios. */
    trialSharpeVariance: v.trialSharpeVariance.schema,
  })
  .strict();

/** Options of {@link deflatedSharpe}, as accepted. */
export type DeflatedSharpeOptions = z.input<typeof DeflatedSharpeOptionsSchema>;

/** The Euler-Mascheroni constant of the expected maximum in Bailey and Lopez de Prado (2014). */
const EULER_GAMMA = 0.5772156649015329;

function isSummary(x: unknown): x is SharpeSummary {
  return typeof x === 'object' && x !== null && !ArrayBuffer.isView(x) && !Array.isArray(x) && 'sharpe' in x;
}

/** The summary of a return series, or a checked summary as given. */
function summarize(input: ArrayLike<number> | SharpeSummary, what: string): SharpeSummary {
  if (isSummary(input)) {
    const { sharpe, observations, skewness, kurtosis } = input;
    if (
      ![sharpe, skewness, kurtosis].every(Number.isFinite) ||
      !(Number.isInteger(observations) && observations >= 2)
    ) {
      throw new DataError(
        `${what}: expected a summary { sharpe, observations >= 2, skewness, kurtosis } of finite numbers, ` +
          `received ${JSON.stringify(input)}`,
      );
    }
    return input;
  }
  checkSample(input, `${what} returns`, 3);
  const m = sampleMoments(input);
  if (!(m.sd > 0))
    throw new DataError(
      `${what}: the returns do not vary (standard deviation 0), so their Sharpe ratio has no distribution`,
    );
  return { sharpe: m.mean / m.sd, observations: m.count, skewness: m.skewness, kurtosis: m.kurtosis };
}

/** sqrt(1 - skew SR + (kurt - 1)/4 SR^2): the non-normal scale of a Sharpe ratio's sampling error. */
function nonNormalScale(s: SharpeSummary): number {
  return Math.sqrt(Math.max(0, 1 - s.skewness * s.sharpe + ((s.kurtosis - 1) / 4) * s.sharpe * s.sharpe));
}

/** Lo (2002): delta-method variance of mean/sd with a Newey-West covariance of the moment conditions. */
function autocorrelatedVariance(x: ArrayLike<number>, mean: number, sd: number, lags: number): number {
  const n = x.length;
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  let s2 = 0;
  for (let t = 0; t < n; t++) s2 += (x[t] - mean) ** 2;
  s2 /= n;
  for (let t = 0; t < n; t++) {
    a[t] = x[t] - mean;
    b[t] = a[t] * a[t] - s2;
  }
  let saa = 0;
  let sab = 0;
  let sbb = 0;
  for (let j = 0; j <= Math.min(lags, n - 1); j++) {
    const w = j === 0 ? 1 : 1 - j / (lags + 1);
    let aa = 0;
    let ab = 0;
    let bb = 0;
    for (let t = j; t < n; t++) {
      aa += a[t] * a[t - j];
      ab += a[t] * b[t - j] + (j === 0 ? 0 : b[t] * a[t - j]);
      bb += b[t] * b[t - j];
    }
    const k = j === 0 ? 1 : 2;
    saa += k * w * aa;
    sab += w * ab;
    sbb += k * w * bb;
  }
  const ga = 1 / sd;
  const gb = -mean / (2 * sd ** 3);
  return (ga * ga * saa + 2 * ga * gb * sab + gb * gb * sbb) / (n * n);
}

/**
 * The Sharpe ratio of a return series and its standard error. With `sharpeError: 'non-normal'` (the default) the
 * standard error is sqrt((1 - skew SR + (kurt - 1)/4 SR^2) / (T - 1)) (Mertens 2002, Opdyke 2007), whose T - 1
 * makes {@link probabilisticSharpe} equal Phi((SR - benchmark) / standardError). With `'autocorrelated'` it is
 * Lo's (2002) GMM form: the delta method on the Newey-West long-run covariance of (r - mean, (r - mean)^2 - var).
 * The ratio equals the strategy simulation's for the same returns.
 *
 * @param returns - period returns (at least 3, finite)
 * @param options - see {@link SharpeOptionsSchema}
 * @returns `{ sharpe, standardError }`, annualized by sqrt(periodsPerYear) when given
 * @throws {@link DataError} for fewer than 3 or non-finite returns; {@link ValidationError} for invalid options
 * @example
 * ```ts
 * import { sharpeRatio } from 'stockcast';
 * const r = [0.01, -0.02, 0.015, 0.003, -0.004, 0.012, 0.007, -0.009];
 * const { sharpe, standardError } = sharpeRatio(r, { periodsPerYear: 252 });
 * console.log(sharpe.toFixed(2), standardError.toFixed(2));
 * ```
 */
export function sharpeRatio(returns: ArrayLike<number>, options: SharpeOptions = {}): SharpeEstimate {
  const o = parseOptions(SharpeOptionsSchema, options, 'Sharpe ratio options');
  checkSample(returns, 'Sharpe ratio returns', 3);
  const m = sampleMoments(returns);
  const scale = Math.sqrt(o.periodsPerYear ?? 1);
  if (!(m.sd > 0)) return { sharpe: 0, standardError: Number.NaN };
  const sharpe = m.mean / m.sd;
  let variance: number;
  if (o.sharpeError === 'autocorrelated') {
    const lags = o.lags ?? Math.floor(4 * (m.count / 100) ** (2 / 9));
    variance = autocorrelatedVariance(returns, m.mean, m.sd, lags);
  } else {
    variance =
      nonNormalScale({ sharpe, observations: m.count, skewness: m.skewness, kurtosis: m.kurtosis }) ** 2 /
      (m.count - 1);
  }
  return { sharpe: sharpe * scale, standardError: Math.sqrt(Math.max(0, variance)) * scale };
}

/**
 * The Probabilistic Sharpe Ratio (Bailey and Lopez de Prado 2012, 2014): the probability that the true per-period
 * Sharpe ratio exceeds `benchmark`, Phi((SR - benchmark) sqrt(T - 1) / sqrt(1 - skew SR + (kurt - 1)/4 SR^2)), with
 * SR per period (sample standard deviation), skewness and non-excess kurtosis of the returns.
 *
 * @param input - period returns, or their summary `{ sharpe, observations, skewness, kurtosis }`
 * @param options - the per-period `benchmark` Sharpe ratio (default 0)
 * @returns a probability in [0, 1]
 * @throws {@link DataError} for fewer than 3 or non-finite returns, returns that do not vary, or a bad summary
 * @example
 * ```ts
 * import { probabilisticSharpe } from 'stockcast';
 * probabilisticSharpe({ sharpe: 0.1, observations: 250, skewness: 0, kurtosis: 3 }); // 0.9422...
 * ```
 */
export function probabilisticSharpe(
  input: ArrayLike<number> | SharpeSummary,
  options: ProbabilisticSharpeOptions = {},
): number {
  const o = parseOptions(ProbabilisticSharpeOptionsSchema, options, 'probabilistic Sharpe options');
  const s = summarize(input, 'probabilistic Sharpe');
  return psr(s, o.benchmark);
}

function psr(s: SharpeSummary, benchmark: number): number {
  const scale = nonNormalScale(s);
  if (!(scale > 0)) return s.sharpe > benchmark ? 1 : s.sharpe < benchmark ? 0 : 0.5;
  return normalCdf(((s.sharpe - benchmark) * Math.sqrt(s.observations - 1)) / scale);
}

/**
 * The expected maximum per-period Sharpe ratio of `trials` unskilled strategies whose Sharpe ratios vary with
 * variance `trialSharpeVariance` (Bailey and Lopez de Prado 2014): sqrt(V) ((1 - g) Z(1 - 1/N) + g Z(1 - 1/(N e))),
 * g the Euler-Mascheroni constant; 0 for one trial (its expected value).
 *
 * @param options - `trials` N and `trialSharpeVariance` V
 * @returns the benchmark Sharpe ratio that {@link deflatedSharpe} tests against
 * @throws {@link ValidationError} for invalid options
 * @example
 * ```ts
 * import { expectedMaxSharpe } from 'stockcast';
 * expectedMaxSharpe({ trials: 100, trialSharpeVariance: 0.5 / 250 }); // 0.11317...
 * ```
 */
export function expectedMaxSharpe(options: DeflatedSharpeOptions): number {
  const o = parseOptions(DeflatedSharpeOptionsSchema, options, 'deflated Sharpe options');
  if (o.trials === 1) return 0;
  const n = o.trials;
  const z = (1 - EULER_GAMMA) * normalQuantile(1 - 1 / n) + EULER_GAMMA * normalQuantile(1 - 1 / (n * Math.E));
  return Math.sqrt(o.trialSharpeVariance) * z;
}

/**
 * The Deflated Sharpe Ratio (Bailey and Lopez de Prado 2014): the {@link probabilisticSharpe} against the Sharpe
 * ratio the best of `trials` unskilled strategies would reach by luck ({@link expectedMaxSharpe}). Read it as the
 * probability that the strategy's true Sharpe ratio is above zero once the search that found it is allowed for.
 *
 * @param input - period returns, or their summary `{ sharpe, observations, skewness, kurtosis }` (per period)
 * @param options - `trials` and `trialSharpeVariance` (of the trials' per-period Sharpe ratios)
 * @returns a probability in [0, 1]
 * @throws {@link DataError} as {@link probabilisticSharpe}; {@link ValidationError} for invalid options
 * @example
 * ```ts
 * import { deflatedSharpe } from 'stockcast';
 * // The paper's example: SR 2.5 a year over 5 years of days, skewness -3, kurtosis 10, 100 trials of variance 0.5.
 * const summary = { sharpe: 2.5 / Math.sqrt(250), observations: 1250, skewness: -3, kurtosis: 10 };
 * deflatedSharpe(summary, { trials: 100, trialSharpeVariance: 0.5 / 250 }); // 0.90039...
 * ```
 */
export function deflatedSharpe(input: ArrayLike<number> | SharpeSummary, options: DeflatedSharpeOptions): number {
  const benchmark = expectedMaxSharpe(options);
  return psr(summarize(input, 'deflated Sharpe'), benchmark);
}
