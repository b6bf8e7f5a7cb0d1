/**
 * The loss stage: one small kernel per loss, each invocation one batch row writing that row's summed loss and
 * the gradient with respect to its head outputs (src/models/engines/fused/losses.ts, the same math in float32),
 * then one kernel that adds the row losses in row order into the batch's slot of the loss history.
 * Every loss kernel reads the same words (LW): a new element-wise loss is one more entry in LOSS_WGSL.
 */
import { FLAT, MAIN_BINDINGS, MATH } from './wgsl-common.js';

/** Word indices shared by the loss kernels. */
export const LW = { B: 0, T: 1, O: 2, OUT: 3, DOUT: 4, Y: 5, ROWLOSS: 6, K: 7, LEVELS: 8, SCALE: 9 } as const;

const PRELUDE = /* wgsl */ `${MAIN_BINDINGS}${MATH}${FLAT}
fn log1p_(x: f32) -> f32 {
  let v = 1.0 + x;
  if (v == 1.0) { return x; }
  return log(v) * (x / (v - 1.0));
}
fn softplus(x: f32) -> f32 { return max(x, 0.0) + log1p_(sc_exp(-abs(x))); }
`;

/** Each loss's body: `b` is the row; B, T, O and the offsets are read from the words. */
const BODIES: Record<string, string> = {
  // Mean squared error on [B, O]: gradient 2e / (B O).
  mse: `
  let n = f32(B * O);
  var loss = 0.0;
  for (var o = 0u; o < O; o++) {
    let q = b * O + o;
    let e = ws[out + q] - ws[y + q];
    loss = loss + e * e;
    ws[dout + q] = (2.0 * e) / n;
  }
  ws[rowLoss + b] = loss;`,
  // QLIKE on log variances (fused qlikeRows): d = c (y - out) with the row's factor c from network units to
  // log-variance units; loss exp(d) - d - 1, gradient -c (exp(d) - 1) / (B O).
  qlike: `
  let n = f32(B * O);
  let c = ws[W(9u) + b];
  var loss = 0.0;
  for (var o = 0u; o < O; o++) {
    let q = b * O + o;
    let d = c * (ws[y + q] - ws[out + q]);
    let e = sc_exp(d);
    loss = loss + (e - d - 1.0);
    ws[dout + q] = (-c * (e - 1.0)) / n;
  }
  ws[rowLoss + b] = loss;`,
  // Softmax cross-entropy at every step: logits time-major [T, B, V], labels batch-major [B, T] (int32 bits).
  xent: `
  let n = f32(T * B);
  var loss = 0.0;
  for (var t = 0u; t < T; t++) {
    let r = out + (t * B + b) * O;
    let label = u32(bitcast<i32>(ws[y + b * T + t]));
    var mx = ws[r];
    for (var o = 1u; o < O; o++) { mx = max(mx, ws[r + o]); }
    var sum = 0.0;
    for (var o = 0u; o < O; o++) { sum = sum + sc_exp(ws[r + o] - mx); }
    loss = loss - (ws[r + label] - mx - log(sum));
    let g = dout + (t * B + b) * O;
    for (var o = 0u; o < O; o++) { ws[g + o] = (sc_exp(ws[r + o] - mx) / sum - select(0.0, 1.0, o == label)) / n; }
  }
  ws[rowLoss + b] = loss;`,
  // Pinball loss of the non-crossing quantile head: groups of K raw outputs per horizon step, levels in misc.
  quantile: `
  let K = W(7u); let levels = W(8u);
  let S = O / K;
  let scale = 1.0 / f32(B * S * K);
  var loss = 0.0;
  for (var s = 0u; s < S; s++) {
    let base = (b * S + s) * K;
    let yv = ws[y + b * S + s];
    var q = ws[out + base];
    var gk: array<f32, 64>;
    for (var k = 0u; k < K; k++) {
      if (k > 0u) { q = q + softplus(ws[out + base + k]); }
      let e = yv - q;
      let lv = misc[levels + k];
      let tau = select(lv - 1.0, lv, e >= 0.0);
      loss = loss + tau * e;
      gk[k] = -tau * scale;
    }
    var suffix = 0.0;
    for (var kk = K; kk > 0u; kk--) {
      let k = kk - 1u;
      suffix = suffix + gk[k];
      ws[dout + base + k] = select(sc_sigmoid(ws[out + base + k]) * suffix, suffix, k == 0u);
    }
  }
  ws[rowLoss + b] = loss;`,
};

/** The most quantile levels the quantile kernel holds per group. */
export const MAX_LEVELS = 64;

/** The loss kernel's WGSL for a loss name (a key of the bodies above). */
export function lossWgsl(loss: string): string {
  const body = BODIES[loss];
  if (!body) throw new Error(`no webgpu loss kernel named ${loss}`);
  return `${PRELUDE}
@compute @workgroup_size(256)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let b = flat(wid, nwg, lid);
  let B = W(0u); let T = W(1u); let O = W(2u); let out = W(3u); let dout = W(4u); let y = W(5u); let rowLoss = W(6u);
  if (b >= B) { return; }
  ${body}
}
`;
}

/** Adds the batch's row losses in row order and divides by the loss's count: the batch's mean into misc. */
export const BATCH_LOSS_WGSL = /* wgsl */ `${MAIN_BINDINGS}
@compute @workgroup_size(1)
fn main() {
  let B = W(0u); let rowLoss = W(1u); let denom = F(2u); let slot = W(3u) + st.g.w;
  var s = 0.0;
  for (var b = 0u; b < B; b++) { s = s + ws[rowLoss + b]; }
  misc[slot] = s / denom;
}
`;
