/** Value-at-Risk from variance forecasts: quantiles of the unit-variance normal and Student-t innovations. */
import { normalQuantile, studentTQuantile } from '../../util/special.js';
import { DataError } from '../../errors.js';

/** The innovation distribution of a variance model. */
export type InnovationDistribution = 'normal' | 'student-t';

/**
 * The p-quantile of the unit-variance innovation: the normal quantile, or for Student-t the t_nu quantile times
 * sqrt((nu - 2) / nu) (the t scaled to variance 1, as in the likelihood).
 *
 * @param level - p in (0, 1)
 * @param fit - the distribution and, for Student-t, nu (> 2)
 * @returns the quantile z_p, so that a return's p-quantile is mu + z_p sqrt(h)
 * @throws {@link DataError} for a level outside (0, 1) or a Student-t without nu > 2
 * @example
 * ```ts
 * import { innovationQuantile } from 'stockcast';
 * innovationQuantile(0.05, { distribution: 'normal' }); // -1.6448...
 * innovationQuantile(0.01, { distribution: 'student-t', nu: 5 }); // -2.6064... = -3.3649 x sqrt(3/5)
 * ```
 */
export function innovationQuantile(level: number, fit: { distribution: InnovationDistribution; nu?: number }): number {
  if (!(level > 0 && level < 1)) throw new DataError(`the quantile level must be in (0, 1): received ${level}`);
  if (fit.distribution === 'normal') return normalQuantile(level);
  const nu = fit.nu ?? Number.NaN;
  if (!(nu > 2)) throw new DataError(`a unit-variance Student-t needs nu > 2: received ${fit.nu}`);
  return studentTQuantile(level, nu) * Math.sqrt((nu - 2) / nu);
}

/**
 * Value-at-Risk from variance forecasts: the p-quantile of each return, mu + z_p sqrt(h_t) (a signed return;
 * negative for a loss), with z_p from {@link innovationQuantile}.
 *
 * @param variances - the variance forecasts h_t
 * @param fit - mu, the distribution and nu
 * @param level - p, e.g. 0.01
 * @returns one VaR per variance
 * @throws {@link DataError} as {@link innovationQuantile}, or for a negative variance
 * @example
 * ```ts
 * import { garchValueAtRisk } from 'stockcast';
 * garchValueAtRisk([4], { mu: 0, distribution: 'normal' }, 0.05); // Float64Array [-3.2897...]
 * ```
 */
export function garchValueAtRisk(
  variances: ArrayLike<number>,
  fit: { mu: number; distribution: InnovationDistribution; nu?: number },
  level: number,
): Float64Array {
  const z = innovationQuantile(level, fit);
  return Float64Array.from(variances, (h, i) => {
    if (!(h >= 0)) throw new DataError(`variance ${i} must be >= 0: received ${h}`);
    return fit.mu + z * Math.sqrt(h);
  });
}
