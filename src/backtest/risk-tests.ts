/** Value-at-Risk backtests: exceedances, Kupiec's proportion of failures, Christoffersen's independence and conditional coverage, and historical-simulation VaR. */
import { upperGammaRegularized } from '../util/special.js';
import { DataError } from '../errors.js';

/** A likelihood-ratio test: its statistic, degrees of freedom and chi-square p-value. */
export interface LrTest {
  /** The likelihood-ratio statistic (>= 0). */
  statistic: number;
  /** Degrees of freedom of the chi-square reference distribution. */
  df: number;
  /** P(chi2_df >= statistic). */
  pValue: number;
}

/** The outcome of {@link varBacktest}. */
export interface VarBacktest {
  /** The VaR level p (the expected exceedance rate). */
  level: number;
  /** Observations T. */
  observations: number;
  /** Exceedances x: returns below the VaR. */
  exceedances: number;
  /** x / T. */
  rate: number;
  /** 1 for each exceedance, else 0, in time order. */
  hits: number[];
  /** Kupiec's proportion-of-failures test (df 1). */
  kupiec: LrTest;
  /** Christoffersen's independence test (df 1), on the T - 1 transitions of the hit sequence. */
  independence: LrTest;
  /** Conditional coverage: Kupiec + independence statistics (df 2). */
  conditionalCoverage: LrTest;
}

/**
 * The chi-square survival function P(X >= x) for df degrees of freedom: the regularized upper incomplete gamma
 * Q(df/2, x/2), by its continued fraction in the tail, so tiny p-values keep their relative accuracy.
 *
 * @param x - the statistic (>= 0)
 * @param df - degrees of freedom (> 0)
 * @returns the p-value
 * @throws {@link DataError} for a negative statistic or non-positive df
 * @example
 * ```ts
 * import { chiSquarePValue } from 'stockcast';
 * chiSquarePValue(3.841458820694124, 1); // 0.05
 * ```
 */
export function chiSquarePValue(x: number, df: number): number {
  if (!(x >= 0) || !(df > 0))
    throw new DataError(`chi-square p-value needs x >= 0 and df > 0: received x ${x}, df ${df}`);
  return upperGammaRegularized(df / 2, x / 2);
}

/** n ln(p), with 0 ln 0 = 0. */
const xlogy = (n: number, p: number) => (n === 0 ? 0 : n * Math.log(p));

function lrTest(statistic: number, df: number): LrTest {
  // Rounding can leave a tiny negative statistic when the restricted and free likelihoods agree.
  const s = Math.max(0, statistic);
  return { statistic: s, df, pValue: chiSquarePValue(s, df) };
}

/**
 * Kupiec's proportion-of-failures test of x exceedances in T observations against the rate p:
 * LR = -2 [(T - x) ln(1 - p) + x ln p] + 2 [(T - x) ln(1 - x/T) + x ln(x/T)], chi-square with 1 df.
 *
 * @param exceedances - x
 * @param observations - T
 * @param level - p in (0, 1)
 * @returns the statistic and p-value
 * @throws {@link DataError} unless 0 <= x <= T, T >= 1 and 0 < p < 1
 * @example
 * ```ts
 * import { kupiecTest } from 'stockcast';
 * kupiecTest(5, 100, 0.05).statistic; // 0: exactly the expected rate
 * ```
 */
export function kupiecTest(exceedances: number, observations: number, level: number): LrTest {
  const x = exceedances;
  const T = observations;
  if (!(Number.isInteger(x) && Number.isInteger(T) && T >= 1 && x >= 0 && x <= T))
    throw new DataError(
      `Kupiec's test needs integers 0 <= exceedances <= observations, observations >= 1: received ${x} of ${T}`,
    );
  if (!(level > 0 && level < 1)) throw new DataError(`the VaR level must be in (0, 1): received ${level}`);
  const restricted = xlogy(T - x, 1 - level) + xlogy(x, level);
  const free = xlogy(T - x, 1 - x / T) + xlogy(x, x / T);
  return lrTest(-2 * (restricted - free), 1);
}

/**
 * Christoffersen's (1998) independence test of a hit sequence: with n_ij the count of transitions i -> j,
 * pi01 = n01/(n00+n01), pi11 = n11/(n10+n11), pi = (n01+n11)/(T-1),
 * LR = -2 [(n00+n10) ln(1-pi) + (n01+n11) ln pi] + 2 [n00 ln(1-pi01) + n01 ln pi01 + n10 ln(1-pi11) + n11 ln pi11],
 * chi-square with 1 df (0 ln 0 = 0; with no hits or no non-hits the statistic is 0).
 *
 * @param hits - 1 for an exceedance, 0 otherwise, in time order (at least 2)
 * @returns the statistic and p-value
 * @throws {@link DataError} with fewer than 2 values or a value other than 0 and 1
 * @example
 * ```ts
 * import { christoffersenTest } from 'stockcast';
 * christoffersenTest([0, 1, 1, 0, 0, 0, 1, 1, 0, 0]).statistic; // > 0: hits come in pairs
 * ```
 */
export function christoffersenTest(hits: ArrayLike<number>): LrTest {
  if (hits.length < 2)
    throw new DataError(`the independence test needs at least 2 observations: received ${hits.length}`);
  const n = [0, 0, 0, 0];
  for (let i = 0; i < hits.length; i++) {
    if (hits[i] !== 0 && hits[i] !== 1) throw new DataError(`hits must be 0 or 1: value ${i} is ${hits[i]}`);
    if (i > 0) n[2 * hits[i - 1] + hits[i]]++;
  }
  const [n00, n01, n10, n11] = n;
  const pi01 = n00 + n01 > 0 ? n01 / (n00 + n01) : 0;
  const pi11 = n10 + n11 > 0 ? n11 / (n10 + n11) : 0;
  const pi = (n01 + n11) / (n00 + n01 + n10 + n11);
  const restricted = xlogy(n00 + n10, 1 - pi) + xlogy(n01 + n11, pi);
  const free = xlogy(n00, 1 - pi01) + xlogy(n01, pi01) + xlogy(n10, 1 - pi11) + xlogy(n11, pi11);
  return lrTest(-2 * (restricted - free), 1);
}

/**
 * Backtests Value-at-Risk forecasts read as return quantiles: an exceedance is a return below its VaR
 * (r_t < VaR_t, VaR as a signed return quantile, e.g. -2.3 for a 2.3 % loss), tested with Kupiec,
 * Christoffersen independence, and conditional coverage LR_cc = LR_pof + LR_ind (chi-square, 2 df).
 *
 * @param returns - realized returns r_t
 * @param valueAtRisk - the VaR forecast for each r_t, made before it (same units)
 * @param level - the VaR level p, e.g. 0.01 for 99 % VaR
 * @returns exceedances, hit sequence and the three tests
 * @throws {@link DataError} when the lengths differ, a value is not finite, or there are fewer than 2 observations
 * @example
 * ```ts
 * import { varBacktest } from 'stockcast';
 * const r = varBacktest([-3, 1, 0.5, -0.2], [-2, -2, -2, -2], 0.05);
 * r.exceedances; // 1
 * ```
 */
export function varBacktest(returns: ArrayLike<number>, valueAtRisk: ArrayLike<number>, level: number): VarBacktest {
  if (returns.length !== valueAtRisk.length)
    throw new DataError(`returns and VaR must have one length: received ${returns.length} and ${valueAtRisk.length}`);
  const T = returns.length;
  const hits: number[] = new Array<number>(T).fill(0);
  let x = 0;
  for (let i = 0; i < T; i++) {
    if (!Number.isFinite(returns[i]) || !Number.isFinite(valueAtRisk[i]))
      throw new DataError(`row ${i}: return ${returns[i]} and VaR ${valueAtRisk[i]} must be finite`);
    if (returns[i] < valueAtRisk[i]) {
      hits[i] = 1;
      x++;
    }
  }
  const kupiec = kupiecTest(x, T, level);
  const independence = christoffersenTest(hits);
  return {
    level,
    observations: T,
    exceedances: x,
    rate: x / T,
    hits,
    kupiec,
    independence,
    conditionalCoverage: lrTest(kupiec.statistic + independence.statistic, 2),
  };
}

/**
 * Historical-simulation VaR: at each row t >= span, the empirical p-quantile of the previous `span` returns
 * r[t-span..t-1] (linear interpolation between order statistics, numpy's default: position p (span - 1)).
 *
 * @param returns - the returns, oldest first
 * @param options - `level` p in (0, 1) and `span` (the number of past returns, >= 2)
 * @returns VaR for rows span..n: `out[i]` is the forecast for return `span + i`; the last is for the next, unseen one
 * @throws {@link DataError} for an invalid level or span, or fewer than `span` returns
 * @example
 * ```ts
 * import { historicalVar } from 'stockcast';
 * historicalVar([-2, 1, 0, 3, -1], { level: 0.25, span: 5 }); // [-1]: position 1 of the sorted five
 * ```
 */
export function historicalVar(returns: ArrayLike<number>, options: { level: number; span: number }): Float64Array {
  const { level, span } = options;
  if (!(level > 0 && level < 1)) throw new DataError(`the VaR level must be in (0, 1): received ${level}`);
  if (!Number.isInteger(span) || span < 2)
    throw new DataError(`historical VaR needs an integer span >= 2: received ${span}`);
  if (returns.length < span)
    throw new DataError(`historical VaR over ${span} returns needs at least that many: received ${returns.length}`);
  const out = new Float64Array(returns.length - span + 1);
  const pos = level * (span - 1);
  const lo = Math.floor(pos);
  const frac = pos - lo;
  const buf = new Float64Array(span);
  for (let t = span; t <= returns.length; t++) {
    for (let i = 0; i < span; i++) buf[i] = returns[t - span + i];
    buf.sort();
    out[t - span] = frac === 0 ? buf[lo] : buf[lo] + frac * (buf[lo + 1] - buf[lo]);
  }
  return out;
}
