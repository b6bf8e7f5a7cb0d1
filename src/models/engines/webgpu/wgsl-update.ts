/**
 * Kernels around the products: dropout masks (mulberry32 per row, drawn exactly as the fused engine draws them),
 * the squared gradient norm for clipping, the optimizers (csrc/cells.h: Adam, RMSProp, SGD) and the packing of
 * weights for the next batch (W_hh transposed for the backward pass, the input product's bias).
 * Step values (lr, bias corrections, clip, seed, keep threshold, batch index) come from the `st` uniform.
 */
import { FLAT, MAIN_BINDINGS, UPDATE_BINDINGS } from './wgsl-common.js';

/**
 * Dropout masks for every layer below the top: draw n = (k T + t) H + j of row b is mulberry32's output n from
 * the row's seed (its state after n + 1 steps is seed + (n + 1) 0x6d2b79f5), kept when below the threshold.
 */
export const MASK_WGSL = /* wgsl */ `${MAIN_BINDINGS}${FLAT}
@compute @workgroup_size(256)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let B = W(0u); let T = W(1u); let H = W(2u); let layers = W(3u);
  let q = flat(wid, nwg, lid);
  if (q >= layers * T * B * H) { return; }
  let j = q % H; let b = (q / H) % B; let t = (q / (H * B)) % T; let k = q / (H * B * T);
  let off = W(4u + k);
  let flags = st.g.z;
  var m = 1.0;
  if ((flags & 1u) == 1u) {
    let rowSeed = st.g.x ^ ((b + 1u) * 0x9e3779b1u);
    let n = (k * T + t) * H + j;
    var x = rowSeed + (n + 1u) * 0x6d2b79f5u;
    x = (x ^ (x >> 15u)) * (x | 1u);
    x = x ^ (x + (x ^ (x >> 7u)) * (x | 61u));
    x = x ^ (x >> 14u);
    let kept = x < st.g.y || (flags & 2u) == 2u;
    m = select(0.0, st.h.x, kept);
  }
  ws[off + (t * B + b) * H + j] = m;
}
`;

/** Sum of squares of the gradients (one workgroup; 256 strided chains, then a fixed tree), into misc[0]. */
export const SUMSQ_WGSL = /* wgsl */ `${UPDATE_BINDINGS}
var<workgroup> part: array<f32, 256>;
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) lid: u32) {
  let n = W(0u);
  var s = 0.0;
  for (var i = lid; i < n; i += 256u) { s = fma(grd[i], grd[i], s); }
  part[lid] = s;
  workgroupBarrier();
  for (var w = 128u; w > 0u; w = w >> 1u) {
    if (lid < w) { part[lid] = part[lid] + part[lid + w]; }
    workgroupBarrier();
  }
  if (lid == 0u) { misc[0] = part[0]; }
}
`;

const OPT_HEAD = /* wgsl */ `${UPDATE_BINDINGS}${FLAT}
fn gscale() -> f32 {
  let clip = st.f.w;
  if (clip <= 0.0) { return 1.0; }
  return min(1.0, clip / (sqrt(misc[0]) + 1e-6));
}
`;

/** The optimizers' bodies over element i of n (MV holds Adam's m then v, or RMSProp's mean square, n apart). */
const OPTIMIZERS: Record<string, string> = {
  adam: `
    let b1: f32 = 0.9; let b2: f32 = 0.999;
    let gi = grd[i] * sc;
    let m1 = b1 * mv[i];
    let m2 = (1.0 - b1) * gi;
    let m = m1 + m2;
    mv[i] = m;
    let v1 = b2 * mv[n + i];
    let v2 = (1.0 - b2) * gi * gi;
    let v = v1 + v2;
    mv[n + i] = v;
    let mh = m / st.f.y; let vh = v / st.f.z;
    prm[i] = prm[i] - st.f.x * mh / (sqrt(vh) + 1e-8);`,
  rmsprop: `
    let rho: f32 = 0.99;
    let gi = grd[i] * sc;
    let a = rho * mv[i];
    let b = (1.0 - rho) * gi * gi;
    let ms = a + b;
    mv[i] = ms;
    prm[i] = prm[i] - st.f.x * gi / sqrt(ms + 1e-8);`,
  sgd: `
    prm[i] = prm[i] - st.f.x * grd[i] * sc;`,
};

/** The WGSL of an optimizer's update over the whole parameter block. */
export function optimizerWgsl(name: 'adam' | 'rmsprop' | 'sgd'): string {
  return `${OPT_HEAD}
@compute @workgroup_size(256)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let n = W(0u);
  let i = flat(wid, nwg, lid);
  if (i >= n) { return; }
  let sc = gscale();
  ${OPTIMIZERS[name]}
}
`;
}

/**
 * Packs one layer for the next batch: W_hh (stored [H, G]) transposed to [G, H] for the backward pass, and the
 * input product's bias (b_ih + b_hh for RNN and LSTM cells, b_ih alone for GRU, whose n gate needs b_hh apart).
 */
export const PACK_WGSL = /* wgsl */ `${UPDATE_BINDINGS}${FLAT}
@compute @workgroup_size(256)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let H = W(0u); let G = W(1u); let whh = W(2u); let out = W(3u);
  let bih = W(4u); let bhh = W(5u); let bout = W(6u); let gru = W(7u);
  let q = flat(wid, nwg, lid);
  if (q < G * H) {
    let g = q / H; let j = q % H;
    pk[out + q] = prm[whh + j * G + g];
  }
  if (q < G) { pk[bout + q] = select(prm[bih + q] + prm[bhh + q], prm[bih + q], gru == 1u); }
}
`;
