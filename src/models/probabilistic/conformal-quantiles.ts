/** Conformalized quantile regression (CQR) that keeps quantiles in order: a conformal shift of the lowest level, then conformal, non-negative scalings of the gaps between levels. */
import { DataError } from '../../errors.js';

/** The conformal rank of level tau among n scores: ceil((n+1) tau) for tau >= 0.5, floor((n+1) tau) below. */
function conformalRank(n: number, tau: number): number {
  return tau >= 0.5 ? Math.ceil((n + 1) * tau) : Math.floor((n + 1) * tau);
}

function orderStatistic(scores: Float64Array, tau: number, step: number): number {
  const n = scores.length;
  const rank = conformalRank(n, tau);
  if (rank < 1 || rank > n) {
    let need = n + 1;
    while (conformalRank(need, tau) < 1 || conformalRank(need, tau) > need) need++;
    throw new DataError(
      `calibrating the ${tau} quantile (step ${step + 1}) needs at least ${need} held-out windows, there are ${n}`,
      {},
      { hint: 'hold out more calibration data, or use levels further from 0 and 1' },
    );
  }
  return Float64Array.from(scores).sort()[rank - 1];
}

/**
 * CQR parameters per horizon step from held-out windows, in the spirit of Romano, Patterson and Candes (2019)
 * but per level and order-preserving. For each step, with quantiles q_1 <= ... <= q_K of n windows and actual y:
 * the lowest level gets the shift a = the r-th smallest of y_i - q_1(x_i); then level k gets the factor
 * c_k = max(0, the r-th smallest of (y_i - q'_{k-1}(x_i)) / (q_k(x_i) - q_{k-1}(x_i))), with
 * q'_k = q'_{k-1} + c_k (q_k - q_{k-1}). r is the conformal rank: ceil((n+1) tau) for tau >= 0.5, floor((n+1) tau)
 * below, so on the held-out windows the share of y <= q'_k is tau (to 1/n). Because every c_k >= 0 the calibrated
 * quantiles keep their order for any future window, by construction.
 *
 * @param q - uncalibrated quantiles [n, H, K] row-major, non-decreasing along K
 * @param actual - y for each window and step, [n, H]
 * @param levels - the K levels, increasing
 * @param horizon - H
 * @returns per step [a, c_2, ..., c_K]
 * @throws {@link DataError} when there are too few windows for a level (the message says how many are needed)
 * @internal
 */
export function cqrCalibrate(
  q: ArrayLike<number>,
  actual: ArrayLike<number>,
  levels: readonly number[],
  horizon: number,
): Float64Array[] {
  const K = levels.length;
  const n = actual.length / horizon;
  return Array.from({ length: horizon }, (_, h) => {
    const params = new Float64Array(K);
    const at = (i: number, k: number) => q[(i * horizon + h) * K + k];
    const prev = new Float64Array(n);
    const scores = new Float64Array(n);
    for (let i = 0; i < n; i++) scores[i] = actual[i * horizon + h] - at(i, 0);
    params[0] = orderStatistic(scores, levels[0], h);
    for (let i = 0; i < n; i++) prev[i] = at(i, 0) + params[0];
    for (let k = 1; k < K; k++) {
      for (let i = 0; i < n; i++) {
        const gap = at(i, k) - at(i, k - 1);
        const e = actual[i * horizon + h] - prev[i];
        scores[i] = gap > 0 ? e / gap : e > 0 ? Infinity : e < 0 ? -Infinity : 0;
      }
      const c = Math.max(0, orderStatistic(scores, levels[k], h));
      if (!Number.isFinite(c))
        throw new DataError(
          `calibrating the ${levels[k]} quantile (step ${h + 1}): the model's gap to the level below is 0 on too many windows to scale it`,
        );
      params[k] = c;
      for (let i = 0; i < n; i++) prev[i] += c * (at(i, k) - at(i, k - 1));
    }
    return params;
  });
}

/**
 * Applies CQR parameters in place: q'_1 = q_1 + a, q'_k = q'_{k-1} + c_k (q_k - q_{k-1}).
 * @param q - quantiles [count, H, K] row-major (overwritten)
 * @param params - per step [a, c_2, ..., c_K] from {@link cqrCalibrate}
 * @param K - levels
 * @internal
 */
export function applyCqr(q: Float64Array, params: readonly Float64Array[], K: number): void {
  const H = params.length;
  for (let g = 0; g < q.length; g += K) {
    const p = params[(g / K) % H];
    let prevRaw = q[g];
    let prev = (q[g] = prevRaw + p[0]);
    for (let k = 1; k < K; k++) {
      const raw = q[g + k];
      prev = q[g + k] = prev + p[k] * (raw - prevRaw);
      prevRaw = raw;
    }
  }
}
