/**
 * The few distribution functions and sample moments the statistics need: normal and Student-t tails, skewness,
 * kurtosis.
 */
import { DataError } from '../errors.js';

// The normal CDF (accurate in both tails), its quantile and Student's t CDF (R's `pt`) live with the other special
// functions (checked against 40-digit mpmath in tests/util/special.test.ts).
export { normalCdf, normalQuantile, studentTCdf } from '../util/special.js';

/** Mean, sample standard deviation (n - 1), and the moment skewness and non-excess kurtosis of a sample. */
export interface SampleMoments {
  /** Number of values. */
  count: number;
  /** Arithmetic mean. */
  mean: number;
  /** Standard deviation with the n - 1 divisor. */
  sd: number;
  /** m3 / m2^1.5 with central moments m_k = mean((x - mean)^k) (scipy's default `skew`). */
  skewness: number;
  /** m4 / m2^2, non-excess: 3 for a normal sample (scipy's `kurtosis(fisher=False)`). */
  kurtosis: number;
}

/** The moments of a sample, in two passes for accuracy. @internal */
export function sampleMoments(x: ArrayLike<number>): SampleMoments {
  const n = x.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i];
  const mean = sum / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  const sd = Math.sqrt(m2 / Math.max(1, n - 1));
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return { count: n, mean, sd, skewness: m2 > 0 ? m3 / m2 ** 1.5 : 0, kurtosis: m2 > 0 ? m4 / (m2 * m2) : 3 };
}

/**
 * Checks a sample: at least `min` values, every one finite; `what` names the input in the error.
 * @internal
 */
export function checkSample(x: ArrayLike<number>, what: string, min: number): void {
  if (x.length < min) throw new DataError(`${what}: expected at least ${min} values, received ${x.length}`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]))
      throw new DataError(
        `${what}: expected finite numbers, received ${x[i]} at index ${i}`,
        {},
        { hint: 'drop or fill missing values first' },
      );
  }
}
