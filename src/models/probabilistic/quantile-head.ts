/** The non-crossing quantile head: raw outputs to increasing quantiles (a base plus softplus increments), and the pinball loss with its gradient. */

/** softplus(x) = ln(1 + e^x), computed without overflow. */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/**
 * Turns raw head outputs into quantiles that cannot cross: for each group of K raw values z (one group per
 * horizon step), q_1 = z_1 and q_k = q_{k-1} + softplus(z_k), so q_1 < q_2 < ... < q_K for any weights.
 *
 * @param raw - head outputs, groups of K values (e.g. [count, horizon, K] row-major)
 * @param K - quantile levels per group
 * @returns the quantiles, same layout
 * @internal
 */
export function rawToQuantiles(raw: ArrayLike<number>, K: number): Float64Array {
  const out = new Float64Array(raw.length);
  for (let g = 0; g < raw.length; g += K) {
    let q = raw[g];
    out[g] = q;
    for (let k = 1; k < K; k++) out[g + k] = q += softplus(raw[g + k]);
  }
  return out;
}

/**
 * The pinball loss of the quantile head, averaged over B x S x K (batch rows, horizon steps, levels), and its
 * gradient with respect to the raw outputs: with g_j = d loss / d q_j = -(tau_j if y >= q_j else tau_j - 1) / (B S K),
 * d loss / d z_1 = sum_j g_j and d loss / d z_k = sigmoid(z_k) sum_{j >= k} g_j.
 *
 * @param out - raw head outputs [B, S * K]
 * @param grad - receives d loss / d out, [B, S * K]
 * @param y - targets, batch-major rows of S values
 * @param rows - which target row each batch row is
 * @param levels - the K levels, increasing
 * @returns the mean loss
 * @internal
 */
export function quantileLoss(
  out: Float32Array,
  grad: Float32Array,
  y: ArrayLike<number>,
  rows: ArrayLike<number>,
  levels: readonly number[],
): number {
  const K = levels.length;
  const B = rows.length;
  const O = out.length / B;
  const S = O / K;
  const scale = 1 / (B * S * K);
  const g = new Float64Array(K);
  let loss = 0;
  for (let b = 0; b < B; b++) {
    for (let s = 0; s < S; s++) {
      const base = b * O + s * K;
      const target = y[rows[b] * S + s];
      let q = out[base];
      for (let k = 0; k < K; k++) {
        if (k > 0) q += softplus(out[base + k]);
        const e = target - q;
        loss += e >= 0 ? levels[k] * e : (levels[k] - 1) * e;
        g[k] = -(e >= 0 ? levels[k] : levels[k] - 1) * scale;
      }
      let suffix = 0;
      for (let k = K - 1; k >= 0; k--) {
        suffix += g[k];
        grad[base + k] = k === 0 ? suffix : sigmoid(out[base + k]) * suffix;
      }
    }
  }
  return loss * scale;
}
