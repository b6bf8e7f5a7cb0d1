/** EWMA (RiskMetrics) variance: the exponentially weighted recursion of squared returns. */
import { z } from 'zod';
import { DataError } from '../../errors.js';
import { parseOptions } from '../../validate.js';
import { vocabulary as v } from '../../vocabulary.js';

/** Options of {@link ewmaVariance}. */
export const EwmaOptionsSchema = z
  .object({
    /** Decay lambda in (0, 1): RiskMetrics uses 0.94 for daily data (default). */
    lambda: v.lambda.withDefault(),
    /** Returns whose mean square starts the recursion (default 22); no variance is given before them. */
    warmup: v.warmup.withDefault(),
  })
  .strict();

/** Options of {@link ewmaVariance}, as accepted. */
export type EwmaOptions = z.input<typeof EwmaOptionsSchema>;

/**
 * EWMA variance forecasts: v_w = mean(r_0^2..r_{w-1}^2) with w = `warmup`, then v_{t+1} = lambda v_t +
 * (1 - lambda) r_t^2. v_t is the variance forecast for return t made from returns before t only.
 *
 * @param returns - the returns, oldest first (zero mean assumed, as in RiskMetrics)
 * @param options - `lambda` and `warmup`
 * @returns v_w..v_n: `out[i]` is the forecast for return `warmup + i`; the last one is for the return after the data
 * @throws {@link DataError} when there are fewer returns than `warmup` or one is not finite
 * @throws {@link ValidationError} for invalid options
 * @example
 * ```ts
 * import { ewmaVariance } from 'stockcast';
 * ewmaVariance([1, 3, 2], { lambda: 0.5, warmup: 2 }); // [5, 4.5]: mean(1, 9) = 5, then 0.5 x 5 + 0.5 x 4
 * ```
 */
export function ewmaVariance(returns: ArrayLike<number>, options: EwmaOptions = {}): Float64Array {
  const { lambda, warmup } = parseOptions(EwmaOptionsSchema, options, 'EWMA options');
  const n = returns.length;
  if (n < warmup) throw new DataError(`EWMA needs at least warmup = ${warmup} returns: received ${n}`);
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(returns[i])) throw new DataError(`return ${i} is not finite: received ${returns[i]}`);
  const out = new Float64Array(n - warmup + 1);
  let v = 0;
  for (let i = 0; i < warmup; i++) v += returns[i] ** 2;
  v /= warmup;
  out[0] = v;
  for (let t = warmup; t < n; t++) out[t - warmup + 1] = v = lambda * v + (1 - lambda) * returns[t] ** 2;
  return out;
}
