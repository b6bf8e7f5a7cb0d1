/** Conformalized quantile regression (CQR): per-level shifts calibrated on held-out windows, kept in order so adjusted quantiles never cross. */
import { DataError } from '../errors.js';

/**
 * The CQR shift of each quantile level, per horizon step, from held-out windows (Romano, Patterson and Candes
 * 2019, the asymmetric form: one score per level). With scores s_i = y_i - q(x_i) sorted ascending over n windows:
 * for tau >= 0.5 the shift is the ceil((n+1) tau)-th smallest score, so P(y <= q + shift) >= tau; for tau < 0.5
 * the floor((n+1) tau)-th smallest, so P(y < q + shift) <= tau. The shifts of one step are then made
 * non-decreasing in tau by pooling adjacent violators (isotonic regression), so q_k + shift_k stays increasing
 * whenever q_k is: the calibrated quantiles never cross.
 *
 * @param scores - for each horizon step, for each level, the n held-out scores y_i - q_k(x_i)
 * @param levels - the levels, increasing
 * @returns shifts[step][level]
 * @throws {@link DataError} when there are too few windows for a level (the message says how many are needed)
 * @internal
 */
export function cqrShifts(scores: Float64Array[][], levels: readonly number[]): Float64Array[] {
  return scores.map((perLevel, step) => {
    const raw = perLevel.map((s, k) => {
      const n = s.length;
      const tau = levels[k];
      const rank = tau >= 0.5 ? Math.ceil((n + 1) * tau) : Math.floor((n + 1) * tau);
      if (rank < 1 || rank > n) {
        let need = n + 1;
        const ok = (m: number) => {
          const r = tau >= 0.5 ? Math.ceil((m + 1) * tau) : Math.floor((m + 1) * tau);
          return r >= 1 && r <= m;
        };
        while (!ok(need)) need++;
        throw new DataError(`calibrating the ${tau} quantile (step ${step + 1}) needs at least ${need} held-out windows, there are ${n}`, {}, { hint: 'hold out more calibration data, or use levels further from 0 and 1' });
      }
      return Float64Array.from(s).sort()[rank - 1];
    });
    return isotonic(raw);
  });
}

/** The non-decreasing sequence closest to `values` in least squares (pool adjacent violators, equal weights). */
export function isotonic(values: readonly number[]): Float64Array {
  const means: number[] = [];
  const sizes: number[] = [];
  for (const v of values) {
    means.push(v);
    sizes.push(1);
    while (means.length > 1 && means[means.length - 2] > means[means.length - 1]) {
      const m = means.pop()!;
      const s = sizes.pop()!;
      const i = means.length - 1;
      means[i] = (means[i] * sizes[i] + m * s) / (sizes[i] + s);
      sizes[i] += s;
    }
  }
  const out = new Float64Array(values.length);
  let j = 0;
  means.forEach((m, i) => {
    for (let c = 0; c < sizes[i]; c++) out[j++] = m;
  });
  return out;
}
