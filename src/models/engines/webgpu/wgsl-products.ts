/**
 * The dense products of the webgpu engine: one tiled kernel (64 x 64 output tiles, 16 x 16 invocations each
 * holding a 4 x 4 block in registers, operands staged through workgroup memory 16 rows of K at a time) for every
 * product of a batch: the input projections of all steps at once, the head, the gradients flowing down a layer
 * and the weight gradients. Each output is one multiply-add chain over k in order from its start value (zero, a
 * bias, or the output itself), as in the fused engine's kernels, so the two agree to rounding. Weight gradients
 * (K = every step of every row, M x N only a few tiles) split K into chunks, one workgroup layer each, whose
 * partial products a second kernel adds in chunk order: a fixed order, so results still never depend on the GPU.
 */
import { FLAT, MAIN_BINDINGS } from './wgsl-common.js';

/** Word indices of a product's parameters. */
export const PW = {
  M: 0,
  N: 1,
  K: 2,
  A_OFF: 3,
  RSA: 4,
  CSA: 5,
  A_SPACE: 6,
  B_OFF: 7,
  RSB: 8,
  CSB: 9,
  B_SPACE: 10,
  C_OFF: 11,
  LDC: 12,
  C_SPACE: 13,
  INIT: 14,
  BIAS_OFF: 15,
  MASK_OFF: 16,
  USE_MASK: 17,
  BIAS_SPACE: 18,
  K_CHUNK: 19,
  PART_OFF: 20,
} as const;
/** Where an operand lives: the workspace, the parameters, the gradients or the packed weights. */
export const SPACE = { WS: 0, P: 1, G: 2, PK: 3 } as const;
/** How an output starts: zero, itself (accumulate), or a bias row. */
export const INIT = { ZERO: 0, SELF: 1, BIAS: 2 } as const;
/** Output tile edge. */
export const TILE = 64;

export const PRODUCT_WGSL = /* wgsl */ `${MAIN_BINDINGS}
var<workgroup> As: array<f32, 1024>;
var<workgroup> Bs: array<f32, 1024>;

fn rd(space: u32, i: u32) -> f32 {
  switch space {
    case 0u: { return ws[i]; }
    case 1u: { return prm[i]; }
    case 2u: { return grd[i]; }
    default: { return pk[i]; }
  }
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  // With K split (kChunk > 0), workgroup layer z multiplies rows [z kChunk, (z + 1) kChunk) of K into partials.
  let M = W(0u); let N = W(1u); let K = W(2u);
  let aOff = W(3u); let rsa = W(4u); let csa = W(5u); let aSp = W(6u);
  let bOff = W(7u); let rsb = W(8u); let csb = W(9u); let bSp = W(10u);
  let cOff = W(11u); let ldc = W(12u); let cSp = W(13u); let init = W(14u); let biasOff = W(15u);
  let i0 = wid.y * 64u; let j0 = wid.x * 64u;
  let kChunk = W(19u); let partOff = W(20u);
  var kBegin = 0u; var kEnd = K;
  if (kChunk > 0u) { kBegin = wid.z * kChunk; kEnd = min(K, kBegin + kChunk); }
  let tx = lid.x; let ty = lid.y; let tid = ty * 16u + tx;
  var acc: array<f32, 16>;
  for (var ii = 0u; ii < 4u; ii++) {
    for (var jj = 0u; jj < 4u; jj++) {
      let i = i0 + ty + 16u * ii; let j = j0 + tx + 16u * jj;
      var v = 0.0;
      if (i < M && j < N) {
        if (init == 1u) { v = rd(cSp, cOff + i * ldc + j); }
        else if (init == 2u) { v = rd(W(18u), biasOff + j); }
      }
      acc[ii * 4u + jj] = v;
    }
  }
  // Loads walk the operand's contiguous direction across neighbouring invocations.
  let aRowMajor = csa == 1u; let bRowMajor = csb == 1u;
  for (var k0 = kBegin; k0 < kEnd; k0 += 16u) {
    for (var e = 0u; e < 4u; e++) {
      let q = tid + 256u * e;
      var kk = q / 64u; var i = q % 64u;
      if (aRowMajor) { kk = q % 16u; i = q / 16u; }
      let gi = i0 + i; let gk = k0 + kk;
      var v = 0.0;
      if (gi < M && gk < kEnd) { v = rd(aSp, aOff + gi * rsa + gk * csa); }
      As[kk * 64u + i] = v;
      var kb = q / 64u; var j = q % 64u;
      if (!bRowMajor) { kb = q % 16u; j = q / 16u; }
      let gj = j0 + j; let gkb = k0 + kb;
      var w = 0.0;
      if (gj < N && gkb < kEnd) { w = rd(bSp, bOff + gkb * rsb + gj * csb); }
      Bs[kb * 64u + j] = w;
    }
    workgroupBarrier();
    let kn = min(16u, kEnd - k0);
    for (var kk = 0u; kk < kn; kk++) {
      var a: array<f32, 4>;
      var b: array<f32, 4>;
      for (var ii = 0u; ii < 4u; ii++) { a[ii] = As[kk * 64u + ty + 16u * ii]; }
      for (var jj = 0u; jj < 4u; jj++) { b[jj] = Bs[kk * 64u + tx + 16u * jj]; }
      for (var ii = 0u; ii < 4u; ii++) {
        for (var jj = 0u; jj < 4u; jj++) { acc[ii * 4u + jj] = fma(a[ii], b[jj], acc[ii * 4u + jj]); }
      }
    }
    workgroupBarrier();
  }
  let maskOff = W(16u); let useMask = W(17u);
  for (var ii = 0u; ii < 4u; ii++) {
    for (var jj = 0u; jj < 4u; jj++) {
      let i = i0 + ty + 16u * ii; let j = j0 + tx + 16u * jj;
      if (i < M && j < N) {
        var v = acc[ii * 4u + jj];
        if (kChunk > 0u) { ws[partOff + (wid.z * M + i) * N + j] = v; continue; }
        // Dropout's backward: the product is rounded first, then scaled by the mask, as the fused engine does.
        if (useMask == 1u) { v = v * ws[maskOff + i * N + j]; }
        if (cSp == 2u) { grd[cOff + i * ldc + j] = v; } else { ws[cOff + i * ldc + j] = v; }
      }
    }
  }
}
`;

/**
 * Column sums of a [rows, N] block of the workspace into the gradients (bias gradients): four running sums
 * (rows i % 4) added as (s0 + s1) + (s2 + s3), the fused engine's order; written to one or two places.
 */
export const COLSUM_WGSL = /* wgsl */ `${MAIN_BINDINGS}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let rows = W(0u); let N = W(1u); let off = W(2u); let lda = W(3u);
  let out1 = W(4u); let two = W(5u); let out2 = W(6u);
  let j = gid.x;
  if (j >= N) { return; }
  var s = array<f32, 4>(0.0, 0.0, 0.0, 0.0);
  for (var i = 0u; i < rows; i++) { s[i & 3u] = s[i & 3u] + ws[off + i * lda + j]; }
  let v = (s[0] + s[1]) + (s[2] + s[3]);
  grd[out1 + j] = v;
  if (two == 1u) { grd[out2 + j] = v; }
}
`;

/** Adds split-K partials [S, M, N] in chunk order into C (the gradients or the workspace). */
export const REDUCE_WGSL = /* wgsl */ `${MAIN_BINDINGS}${FLAT}
@compute @workgroup_size(256)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let MN = W(0u); let S = W(1u); let part = W(2u); let cOff = W(3u); let ldc = W(4u); let N = W(5u); let cSp = W(6u);
  let q = flat(wid, nwg, lid);
  if (q >= MN) { return; }
  var s = ws[part + q];
  for (var z = 1u; z < S; z++) { s = s + ws[part + z * MN + q]; }
  let at = cOff + (q / N) * ldc + q % N;
  if (cSp == 2u) { grd[at] = s; } else { ws[at] = s; }
}
`;
