/** The non-crossing quantile head's pinball loss in TensorFlow.js ops, for the tfjs engine (gradients by autodiff). */
import * as tf from '@tensorflow/tfjs';

/**
 * Mean pinball loss of raw head outputs [B, S*K] against targets [B, S]: q_1 = z_1, q_k = q_{k-1} + softplus(z_k),
 * loss = mean over B, S, K of max(tau e, (tau - 1) e) with e = y - q (as src/models/probabilistic/quantile-head.ts).
 *
 * @param out - raw head outputs [B, S*K]
 * @param y - targets [B, S]
 * @param levels - the K levels
 * @returns the scalar loss
 * @internal
 */
export function quantileLossTf(out: tf.Tensor2D, y: tf.Tensor, levels: readonly number[]): tf.Scalar {
  const K = levels.length;
  const [B, O] = out.shape;
  const z = out.reshape([B, O / K, K]);
  const increments =
    K === 1 ? z : tf.concat([z.slice([0, 0, 0], [B, O / K, 1]), tf.softplus(z.slice([0, 0, 1], [B, O / K, K - 1]))], 2);
  const q = tf.cumsum(increments, 2);
  const tau = tf.tensor1d(levels as number[]);
  const e = y.reshape([B, O / K, 1]).sub(q);
  return tf.maximum(e.mul(tau), e.mul(tau.sub(1))).mean() as tf.Scalar;
}
