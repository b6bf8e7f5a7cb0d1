/** The fused engine's losses on float32 views: the value and the gradient with respect to the head's outputs. */

/**
 * Mean squared error over B x O outputs (tfjs' meanSquaredError); writes d loss / d out.
 * @param out - head outputs [B, O]
 * @param grad - receives the gradient [B, O]
 * @param y - targets, batch-major rows of O values
 * @param rows - which target row each batch row is
 * @param O - outputs per row
 * @returns the mean loss
 */
export function mseLoss(out: Float32Array, grad: Float32Array, y: ArrayLike<number>, rows: ArrayLike<number>, O: number): number {
  const B = rows.length;
  let loss = 0;
  for (let b = 0; b < B; b++) {
    for (let o = 0; o < O; o++) {
      const e = out[b * O + o] - y[rows[b] * O + o];
      loss += e * e;
      grad[b * O + o] = (2 * e) / (B * O);
    }
  }
  return loss / (B * O);
}

/**
 * Softmax cross-entropy at every step, averaged over T x B positions (tfjs' softmaxCrossEntropy with one-hot
 * labels); logits are time-major [T, B, V], labels batch-major [count, T].
 * @param logits - head outputs [T*B, V]
 * @param grad - receives the gradient [T*B, V]
 * @param labels - class ids, batch-major rows of T
 * @param rows - which label row each batch row is
 * @param T - steps
 * @param V - classes
 * @returns the mean loss
 */
export function crossEntropyLoss(logits: Float32Array, grad: Float32Array, labels: Int32Array, rows: ArrayLike<number>, T: number, V: number): number {
  const B = rows.length;
  const n = T * B;
  let loss = 0;
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const r = (t * B + b) * V;
      const label = labels[rows[b] * T + t];
      let max = -Infinity;
      for (let o = 0; o < V; o++) max = Math.max(max, logits[r + o]);
      let sum = 0;
      for (let o = 0; o < V; o++) sum += Math.exp(logits[r + o] - max);
      loss -= logits[r + label] - max - Math.log(sum);
      for (let o = 0; o < V; o++) grad[r + o] = (Math.exp(logits[r + o] - max) / sum - (o === label ? 1 : 0)) / n;
    }
  }
  return loss / n;
}
