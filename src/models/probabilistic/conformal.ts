/** Split-conformal prediction intervals: per-step half-widths from absolute residuals on held-out windows. */
import { DataError } from '../../errors.js';

/**
 * The split-conformal half-width for each horizon step: the ceil((n+1) * coverage)-th smallest absolute residual
 * among n held-out windows. Under exchangeability, [forecast - w, forecast + w] then covers the actual value with
 * probability at least `coverage`.
 *
 * @param residuals - absolute residuals, one array of n values per horizon step
 * @param coverage - the target coverage in (0, 1)
 * @returns one half-width per step
 * @throws {@link DataError} when there are too few windows for the coverage (the message says how many are needed)
 * @internal
 */
export function conformalWidths(residuals: Float64Array[], coverage: number): Float64Array {
  return Float64Array.from(residuals, (r) => {
    const n = r.length;
    const rank = Math.ceil((n + 1) * coverage);
    if (rank > n) {
      let need = n + 1;
      while (Math.ceil((need + 1) * coverage) > need) need++;
      throw new DataError(
        `a ${coverage * 100}% interval needs at least ${need} validation windows, there are ${n}`,
        {},
        { hint: 'give more validation data or a lower interval coverage' },
      );
    }
    return Float64Array.from(r).sort()[rank - 1];
  });
}
