/** Price bands from a volatility forecast: the lognormal range a price stays in with a given coverage. */
import { normalQuantile } from '../util/special.js';
import { DataError } from '../errors.js';

/** Lower and upper price bands, one per step ahead. */
export interface PriceBands {
  /** Lower band for steps 1..steps. */
  lower: Float64Array;
  /** Upper band for steps 1..steps. */
  upper: Float64Array;
}

/**
 * Turns a volatility forecast (annualized percent, as the estimators and the `rv:K` target give it) into price
 * bands: with zero drift and log-normal prices, ln P_{t+h} ~ N(ln P_t, s^2 h / A) for s = volatility / 100 and
 * A = periodsPerYear, so the central band of the given coverage is P_t exp(-/+ z s sqrt(h / A)),
 * z = the normal quantile at (1 + coverage) / 2.
 *
 * @param price - the last known price P_t (> 0)
 * @param volatility - the annualized volatility in percent (>= 0), e.g. a forecast of `rv5`
 * @param options - `steps` ahead (>= 1), `coverage` in (0, 1) (e.g. 0.9) and `periodsPerYear` (e.g. 252)
 * @returns the lower and upper bands for steps 1..steps
 * @throws {@link DataError} for a non-positive price, a negative volatility or invalid options
 * @example
 * ```ts
 * import { volatilityBands } from 'stockcast';
 * // 20% a year, one trading day, 95%: 100 exp(-/+1.96 x 0.2 / sqrt(252)) = [97.56, 102.50]
 * volatilityBands(100, 20, { steps: 1, coverage: 0.95, periodsPerYear: 252 });
 * ```
 */
export function volatilityBands(
  price: number,
  volatility: number,
  options: { steps: number; coverage: number; periodsPerYear: number },
): PriceBands {
  const { steps, coverage, periodsPerYear } = options;
  if (!(price > 0) || !Number.isFinite(price))
    throw new DataError(`price bands need a positive price: received ${price}`);
  if (!(volatility >= 0) || !Number.isFinite(volatility))
    throw new DataError(`price bands need a volatility >= 0 (annualized %): received ${volatility}`);
  if (!Number.isInteger(steps) || steps < 1) throw new DataError(`steps must be a positive integer: received ${steps}`);
  if (!(coverage > 0 && coverage < 1)) throw new DataError(`coverage must be in (0, 1): received ${coverage}`);
  if (!(periodsPerYear > 0)) throw new DataError(`periodsPerYear must be positive: received ${periodsPerYear}`);
  const z = normalQuantile((1 + coverage) / 2);
  const s = volatility / 100;
  const lower = new Float64Array(steps);
  const upper = new Float64Array(steps);
  for (let h = 1; h <= steps; h++) {
    const w = z * s * Math.sqrt(h / periodsPerYear);
    lower[h - 1] = price * Math.exp(-w);
    upper[h - 1] = price * Math.exp(w);
  }
  return { lower, upper };
}

/**
 * Price bands from daily variance forecasts in the units of the `rv` column (variances of decimal log returns, not
 * annualized), one per step ahead, as HAR models and forecasters on a realized measure give them: with zero drift
 * and log-normal prices, ln P_{t+h} ~ N(ln P_t, v_1 + ... + v_h), so the central band of the given coverage is
 * P_t exp(-/+ z sqrt(v_1 + ... + v_h)). With every v_j = (s / 100)^2 / A it is {@link volatilityBands}.
 *
 * @param price - the last known price P_t (> 0)
 * @param variances - the forecast daily variances v_1..v_H (>= 0), e.g. a backtest fold's or a forecast's values
 * @param options - `coverage` in (0, 1) (e.g. 0.9)
 * @returns the lower and upper bands for steps 1..H
 * @throws {@link DataError} for a non-positive price, a negative or missing variance, or a coverage outside (0, 1)
 * @example
 * ```ts
 * import { varianceBands } from 'stockcast';
 * // 1e-4 a day (1% daily volatility) for two days, 95%: 100 exp(-/+1.96 x 0.01 x sqrt([1, 2]))
 * varianceBands(100, [1e-4, 1e-4], { coverage: 0.95 }); // lower [98.06, 97.27], upper [101.98, 102.81]
 * ```
 */
export function varianceBands(price: number, variances: ArrayLike<number>, options: { coverage: number }): PriceBands {
  const { coverage } = options;
  if (!(price > 0) || !Number.isFinite(price)) {
    throw new DataError(`price bands need a positive price: received ${price}`);
  }
  if (variances.length === 0) throw new DataError('price bands need at least one variance forecast: received none');
  if (!(coverage > 0 && coverage < 1)) throw new DataError(`coverage must be in (0, 1): received ${coverage}`);
  const z = normalQuantile((1 + coverage) / 2);
  const lower = new Float64Array(variances.length);
  const upper = new Float64Array(variances.length);
  let total = 0;
  for (let h = 0; h < variances.length; h++) {
    const v = variances[h];
    if (!(v >= 0) || !Number.isFinite(v)) {
      throw new DataError(`price bands need variances >= 0 (daily, decimal log returns): step ${h + 1} is ${v}`);
    }
    total += v;
    lower[h] = price * Math.exp(-z * Math.sqrt(total));
    upper[h] = price * Math.exp(z * Math.sqrt(total));
  }
  return { lower, upper };
}
