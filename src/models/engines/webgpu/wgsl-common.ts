/**
 * WGSL shared by every webgpu kernel: the bindings of the two layouts (the batch's and the optimizer's), the
 * per-dispatch parameter words, and exp, sigmoid and tanh ported from csrc/math.h (the same polynomials and
 * operation order, so results do not depend on a GPU vendor's own transcendental functions).
 */

/**
 * Per-dispatch words (32 u32, read with W(i) and F(i)) and the per-batch step values (written before each
 * submission).
 */
const PARAMS = /* wgsl */ `
struct Words { w: array<vec4<u32>, 8> }
struct Step { f: vec4<f32>, g: vec4<u32>, h: vec4<f32> }
@group(0) @binding(0) var<uniform> u: Words;
@group(0) @binding(1) var<uniform> st: Step;
fn W(i: u32) -> u32 { return u.w[i / 4u][i % 4u]; }
fn F(i: u32) -> f32 { return bitcast<f32>(W(i)); }
`;

/** Bindings of a batch's kernels: the workspace, parameters (read), gradients, packed weights (read), misc. */
export const MAIN_BINDINGS = /* wgsl */ `${PARAMS}
@group(0) @binding(2) var<storage, read_write> ws: array<f32>;
@group(0) @binding(3) var<storage, read> prm: array<f32>;
@group(0) @binding(4) var<storage, read_write> grd: array<f32>;
@group(0) @binding(5) var<storage, read> pk: array<f32>;
@group(0) @binding(6) var<storage, read_write> misc: array<f32>;
`;

/** Bindings of the optimizer's kernels: parameters (written), gradients (read), moments, packed weights, misc. */
export const UPDATE_BINDINGS = /* wgsl */ `${PARAMS}
@group(0) @binding(2) var<storage, read_write> prm: array<f32>;
@group(0) @binding(3) var<storage, read> grd: array<f32>;
@group(0) @binding(4) var<storage, read_write> mv: array<f32>;
@group(0) @binding(5) var<storage, read_write> pk: array<f32>;
@group(0) @binding(6) var<storage, read_write> misc: array<f32>;
`;

/** The flat index of an invocation in a 1-D launch spread over a 2-D grid of 256-wide workgroups. */
export const FLAT = /* wgsl */ `
fn flat(wid: vec3<u32>, nwg: vec3<u32>, lid: u32) -> u32 { return (wid.y * nwg.x + wid.x) * 256u + lid; }
`;

/** csrc/math.h: exp (Cephes polynomial, Cody-Waite reduction), sigmoid, tanh; about 2e-7 relative. */
export const MATH = /* wgsl */ `
fn sc_exp(x0: f32) -> f32 {
  let x = min(max(x0, -104.0), 88.5);
  let n = round(x * 1.44269504088896341);
  var r = x - n * 0.693359375;
  r = r - n * -2.12194440e-4;
  var p = 1.9875691500e-4;
  p = fma(p, r, 1.3981999507e-3);
  p = fma(p, r, 8.3334519073e-3);
  p = fma(p, r, 4.1665795894e-2);
  p = fma(p, r, 1.6666665459e-1);
  p = fma(p, r, 5.0000001201e-1);
  let y = fma(p * r, r, r) + 1.0;
  let ni = i32(n);
  let n1 = ni >> 1u;
  let n2 = ni - n1;
  return y * ldexp(1.0, n1) * ldexp(1.0, n2);
}
fn sc_sigmoid(x: f32) -> f32 {
  let e = sc_exp(-abs(x));
  let r = 1.0 / (1.0 + e);
  return select(r, e * r, x < 0.0);
}
fn sc_tanh(x: f32) -> f32 {
  let a = abs(x);
  let x2 = x * x;
  var p = 0.002138207433745265;
  p = fma(p, x2, -0.008171768859028816);
  p = fma(p, x2, 0.021698201075196266);
  p = fma(p, x2, -0.053946252912282944);
  p = fma(p, x2, 0.1333320140838623);
  p = fma(p, x2, -0.3333333134651184);
  let small = fma(x * x2, p, x);
  let e = sc_exp(min(a + a, 20.0));
  let big = 1.0 - 2.0 / (e + 1.0);
  return select(select(big, -big, x < 0.0), small, a < 0.625);
}
`;
