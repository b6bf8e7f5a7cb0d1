/**
 * The fused engine's losses for a range of batch rows: each row's loss (summed over its outputs or steps) and
 * the gradient with respect to the head's outputs. Rows are independent, so threads can take any rows; the
 * engine adds the row losses in row order.
 */
import { softplus } from '../../probabilistic/quantile-head.js';

/**
 * Mean squared error (tfjs' meanSquaredError): out and targets are [B, O]; the gradient is 2e / (B O).
 * @param out - head outputs [B, O]
 * @param grad - receives the gradient [B, O]
 * @param y - the batch's targets [B, O]
 * @param rowLoss - receives each row's sum of squared errors
 * @param r0 - first row
 * @param r1 - end row (exclusive)
 * @param B - rows in the batch
 * @param O - outputs per row
 */
export function mseRows(
  out: Float32Array,
  grad: Float32Array,
  y: Float32Array,
  rowLoss: Float64Array,
  r0: number,
  r1: number,
  B: number,
  O: number,
): void {
  const n = B * O;
  for (let b = r0; b < r1; b++) {
    let loss = 0;
    for (let o = 0; o < O; o++) {
      const e = out[b * O + o] - y[b * O + o];
      loss += e * e;
      grad[b * O + o] = (2 * e) / n;
    }
    rowLoss[b] = loss;
  }
}

/**
 * QLIKE on log variances: the head's output z is a forecast of the log variance in network units, the target y the
 * realized log variance in the same units, and `scale` (per row) the factor from network units to log-variance
 * units (a fitted scaler's spread; 1 without a scaler). With d = scale (y - z), the loss of one value is
 * exp(d) - d - 1, which is s2 / h - ln(s2 / h) - 1 for s2 = exp(ln s2), h = exp(ln h); the gradient is
 * -scale (exp(d) - 1) / (B O). A shift of the logs (a scaler's centre) changes nothing; their scale does.
 * @param out - head outputs [B, O]
 * @param grad - receives the gradient [B, O]
 * @param y - the batch's targets [B, O]
 * @param scale - each row's factor to log-variance units [B]
 * @param rowLoss - receives each row's summed loss
 * @param r0 - first row
 * @param r1 - end row (exclusive)
 * @param B - rows in the batch
 * @param O - outputs per row
 */
export function qlikeRows(
  out: Float32Array,
  grad: Float32Array,
  y: Float32Array,
  scale: Float32Array,
  rowLoss: Float64Array,
  r0: number,
  r1: number,
  B: number,
  O: number,
): void {
  const n = B * O;
  for (let b = r0; b < r1; b++) {
    let loss = 0;
    const c = scale[b];
    for (let o = 0; o < O; o++) {
      const d = c * (y[b * O + o] - out[b * O + o]);
      const e = Math.exp(d);
      loss += e - d - 1;
      grad[b * O + o] = (-c * (e - 1)) / n;
    }
    rowLoss[b] = loss;
  }
}

/**
 * Softmax cross-entropy at every step (tfjs' softmaxCrossEntropy with one-hot labels), averaged over T x B
 * positions; logits are time-major [T, B, V], labels batch-major [B, T].
 * @param logits - head outputs [T*B, V]
 * @param grad - receives the gradient [T*B, V]
 * @param labels - the batch's class ids [B, T]
 * @param rowLoss - receives each row's summed loss over its steps
 * @param r0 - first row
 * @param r1 - end row (exclusive)
 * @param B - rows in the batch
 * @param T - steps
 * @param V - classes
 */
export function crossEntropyRows(
  logits: Float32Array,
  grad: Float32Array,
  labels: Int32Array,
  rowLoss: Float64Array,
  r0: number,
  r1: number,
  B: number,
  T: number,
  V: number,
): void {
  const n = T * B;
  for (let b = r0; b < r1; b++) {
    let loss = 0;
    for (let t = 0; t < T; t++) {
      const r = (t * B + b) * V;
      const label = labels[b * T + t];
      let max = -Infinity;
      for (let o = 0; o < V; o++) max = Math.max(max, logits[r + o]);
      let sum = 0;
      for (let o = 0; o < V; o++) sum += Math.exp(logits[r + o] - max);
      loss -= logits[r + label] - max - Math.log(sum);
      for (let o = 0; o < V; o++) grad[r + o] = (Math.exp(logits[r + o] - max) / sum - (o === label ? 1 : 0)) / n;
    }
    rowLoss[b] = loss;
  }
}

/**
 * The pinball loss of the non-crossing quantile head (src/models/probabilistic/quantile-head.ts, the same math per row): raw
 * outputs are groups of K values per horizon step (q_1 = z_1, q_k = q_{k-1} + softplus(z_k)); the gradient is
 * averaged over B x S x K.
 * @param out - raw head outputs [B, S*K]
 * @param grad - receives the gradient [B, S*K]
 * @param y - the batch's targets [B, S]
 * @param rowLoss - receives each row's summed pinball loss
 * @param r0 - first row
 * @param r1 - end row (exclusive)
 * @param B - rows in the batch
 * @param levels - the K quantile levels, increasing
 */
export function quantileRows(
  out: Float32Array,
  grad: Float32Array,
  y: Float32Array,
  rowLoss: Float64Array,
  r0: number,
  r1: number,
  B: number,
  levels: ArrayLike<number>,
): void {
  const K = levels.length;
  const S = out.length / B / K;
  const scale = 1 / (B * S * K);
  const g = new Float64Array(K);
  for (let b = r0; b < r1; b++) {
    let loss = 0;
    for (let s = 0; s < S; s++) {
      const base = (b * S + s) * K;
      const target = y[b * S + s];
      let q = out[base];
      for (let k = 0; k < K; k++) {
        if (k > 0) q += softplus(out[base + k]);
        const e = target - q;
        const tau = e >= 0 ? levels[k] : levels[k] - 1;
        loss += tau * e;
        g[k] = -tau * scale;
      }
      let suffix = 0;
      for (let k = K - 1; k >= 0; k--) {
        suffix += g[k];
        grad[base + k] = k === 0 ? suffix : sigmoid(out[base + k]) * suffix;
      }
    }
    rowLoss[b] = loss;
  }
}

const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
