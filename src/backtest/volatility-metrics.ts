/** Loss functions for variance and volatility forecasts: QLIKE and the mean squared error of log variances. */
import { z } from 'zod';
import { DataError } from '../errors.js';
import { parseOptions } from '../validate.js';
import { vocabulary as v } from '../vocabulary.js';
import type { ForecastPoint } from './metrics.js';

/** Options of {@link qlike}, {@link mseLog} and {@link volatilityMetrics}. */
export const VolatilityMetricOptionsSchema = z
  .object({
    /** What the values are: `variance` (default) or `volatility`, squared before the loss. */
    targetKind: v.targetKind.optional(),
  })
  .strict();

/** Options of the volatility metrics, as accepted. */
export type VolatilityMetricOptions = z.input<typeof VolatilityMetricOptionsSchema>;

/** QLIKE and log MSE of a set of forecasts. */
export interface VolatilityMetrics {
  /** mean(s2 / h - ln(s2 / h) - 1): 0 for perfect forecasts, robust to noise in the realized measure (Patton 2011). */
  qlike: number;
  /** mean((ln s2 - ln h)^2). */
  mseLog: number;
  /** Number of forecasts. */
  count: number;
}

/** The log variances of realized and forecast values, checked. */
function logVariances(
  actual: ArrayLike<number>,
  forecast: ArrayLike<number>,
  options: VolatilityMetricOptions,
): [Float64Array, Float64Array] {
  const { targetKind } = parseOptions(VolatilityMetricOptionsSchema, options, 'volatility metric options');
  if (actual.length !== forecast.length)
    throw new DataError(
      `expected as many forecasts as realized values: ` +
        `received ${forecast.length} forecasts for ${actual.length} values`,
    );
  if (actual.length === 0) throw new DataError('expected at least one forecast: received none');
  const power = targetKind === 'volatility' ? 2 : 1;
  const logs = (values: ArrayLike<number>, what: string) =>
    Float64Array.from({ length: values.length }, (_, i) => {
      const x = values[i];
      if (!(x > 0) || !Number.isFinite(x)) {
        throw new DataError(
          `${what} ${i} is ${x}: QLIKE and log MSE need positive ` +
            (targetKind === 'volatility' ? 'volatilities' : 'variances'),
          {},
          { hint: 'floor the forecasts (the level HAR models do), or leave out days whose realized measure is 0' },
        );
      }
      return power * Math.log(x);
    });
  return [logs(actual, 'realized value'), logs(forecast, 'forecast')];
}

/**
 * QLIKE: mean(s2 / h - ln(s2 / h) - 1) with s2 the realized and h the forecast variance (a volatility is squared
 * first). Among losses of variance forecasts it is the one (with MSE) that ranks forecasts as their true conditional
 * variance would when the realized measure is noisy (Patton 2011); it punishes forecasts that are too low most.
 *
 * @param actual - realized values, all > 0
 * @param forecast - forecasts, all > 0, one per realized value
 * @param options - `targetKind` (default `variance`)
 * @returns the mean loss
 * @throws {@link DataError} when the lengths differ, there is no value, or a value is not positive
 * @throws {@link ValidationError} for invalid options
 * @example
 * ```ts
 * import { qlike } from 'stockcast';
 * qlike([2e-4], [1e-4]); // 0.3068528...: 2 - ln 2 - 1
 * qlike([20], [10], { targetKind: 'volatility' }); // 1.6137056...: 4 - ln 4 - 1
 * ```
 */
export function qlike(
  actual: ArrayLike<number>,
  forecast: ArrayLike<number>,
  options: VolatilityMetricOptions = {},
): number {
  const [s, h] = logVariances(actual, forecast, options);
  let sum = 0;
  // From logs: s2 / h = exp(ln s2 - ln h), so tiny variances lose no precision in the ratio.
  for (let i = 0; i < s.length; i++) sum += Math.exp(s[i] - h[i]) - (s[i] - h[i]) - 1;
  return sum / s.length;
}

/**
 * The mean squared error of log variances, mean((ln s2 - ln h)^2) (volatilities squared first, so it is 4 times
 * the MSE of log volatilities).
 *
 * @param actual - realized values, all > 0
 * @param forecast - forecasts, all > 0, one per realized value
 * @param options - `targetKind` (default `variance`)
 * @returns the mean squared error of the logs
 * @throws {@link DataError} when the lengths differ, there is no value, or a value is not positive
 * @throws {@link ValidationError} for invalid options
 * @example
 * ```ts
 * import { mseLog } from 'stockcast';
 * mseLog([Math.E, 1], [1, 1]); // 0.5: ((ln e)^2 + 0) / 2
 * ```
 */
export function mseLog(
  actual: ArrayLike<number>,
  forecast: ArrayLike<number>,
  options: VolatilityMetricOptions = {},
): number {
  const [s, h] = logVariances(actual, forecast, options);
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum += (s[i] - h[i]) ** 2;
  return sum / s.length;
}

/**
 * QLIKE and log MSE of backtest forecast points, pooled (as {@link computeMetrics} pools the other metrics).
 *
 * @param points - forecast points of a volatility or variance target
 * @param options - `targetKind` (default `variance`)
 * @returns both losses and the count
 * @throws {@link DataError} when there is no point or a value is not positive
 * @example
 * ```ts
 * import { volatilityMetrics } from 'stockcast';
 * const point = { timestamp: 0, step: 0, actual: 20, predicted: 10, lastKnown: 15, originTimestamp: 0 };
 * volatilityMetrics([point], { targetKind: 'volatility' }).qlike; // 1.6137056...: 4 - ln 4 - 1
 * ```
 */
export function volatilityMetrics(
  points: readonly ForecastPoint[],
  options: VolatilityMetricOptions = {},
): VolatilityMetrics {
  const actual = points.map((p) => p.actual);
  const forecast = points.map((p) => p.predicted);
  return { qlike: qlike(actual, forecast, options), mseLog: mseLog(actual, forecast, options), count: points.length };
}
