/**
 * The recurrent part of a layer as one dispatch for the whole sequence: a workgroup owns RB rows of the batch and
 * runs every time step itself (rows never interact, so no step needs the whole device to synchronise). Each
 * invocation owns hidden units and computes all their gates at once (the gates as one product, h W_hh added to the
 * input projection a tiled product made for every step beforehand), so the cell's element-wise update needs no
 * exchange; only h (forward) or the gate gradients (backward) go through workgroup memory between steps.
 * The cell math and its operation order are csrc/cells.h's.
 */
import { gateCount, type CellType } from '../weights.js';
import { MAIN_BINDINGS, MATH } from './wgsl-common.js';

/** Compile-time shape of a layer's sequence kernels. */
export interface SequenceShape {
  cell: CellType;
  H: number;
  /** Rows per workgroup. */
  RB: number;
  /** Invocations per workgroup. */
  WG: number;
}

/** Word indices of the forward kernel's parameters. */
export const SF = {
  B: 0,
  T: 1,
  PRE: 2,
  HS: 3,
  CS: 4,
  TC: 5,
  GH: 6,
  WHH: 7,
  BHH: 8,
  MASK: 9,
  XD: 10,
  DROP: 11,
} as const;
/** Word indices of the backward kernel's parameters. */
export const SB = {
  B: 0,
  T: 1,
  ACT: 2,
  HS: 3,
  CS: 4,
  TC: 5,
  GH: 6,
  WHHT: 7,
  DIN: 8,
  DIN_FIRST: 9,
  DGX: 10,
  DGH: 11,
} as const;

const gatesOf = (cell: SequenceShape['cell']) => gateCount(cell);

function header(s: SequenceShape): string {
  const NG = gatesOf(s.cell);
  const UPT = Math.ceil(s.H / s.WG);
  return `${MAIN_BINDINGS}${MATH}
const H: u32 = ${s.H}u;
const G: u32 = ${NG * s.H}u;
const NG: u32 = ${NG}u;
const RB: u32 = ${s.RB}u;
const WG: u32 = ${s.WG}u;
const UPT: u32 = ${UPT}u;
const NA: u32 = ${s.RB * UPT * NG}u;
const NS: u32 = ${s.RB * UPT}u;
`;
}

/** The cell's forward update of one (row, unit) from its gate sums; writes the step's state. */
function forwardCell(cell: SequenceShape['cell']): string {
  if (cell === 'rnn')
    return `
        let h = sc_tanh(acc[a]);`;
  if (cell === 'lstm')
    return `
        let ig = sc_sigmoid(acc[a]); let fg = sc_sigmoid(acc[a + 1u]);
        let gg = sc_tanh(acc[a + 2u]); let og = sc_sigmoid(acc[a + 3u]);
        let row = (t * B + b) * G + j;
        ws[pre + row] = ig; ws[pre + row + H] = fg; ws[pre + row + 2u * H] = gg; ws[pre + row + 3u * H] = og;
        let fc = fg * cst[s]; let igg = ig * gg;
        let c = fc + igg;
        let tcv = sc_tanh(c);
        cst[s] = c;
        ws[cs + ((t + 1u) * B + b) * H + j] = c;
        ws[tc + (t * B + b) * H + j] = tcv;
        let h = og * tcv;`;
  return `
        let r = sc_sigmoid(acc[a] + gh[a]); let z = sc_sigmoid(acc[a + 1u] + gh[a + 1u]);
        let rn = r * gh[a + 2u];
        let n = sc_tanh(acc[a + 2u] + rn);
        let row = (t * B + b) * G + j;
        ws[pre + row] = r; ws[pre + row + H] = z; ws[pre + row + 2u * H] = n;
        ws[ghb + (t * B + b) * H + j] = gh[a + 2u];
        let zd = z * (hsh[rr * H + j] - n);
        let h = n + zd;`;
}

/** Forward, step t: every gate sum starts from its input projection (GRU: the recurrent side apart, from b_hh). */
function forwardGateStarts(gru: boolean): string {
  return `    var acc: array<f32, NA>;
    ${gru ? 'var gh: array<f32, NA>;' : ''}
    for (var un = 0u; un < UPT; un++) {
      let j = tid + un * WG;
      for (var rr = 0u; rr < RB; rr++) {
        let b = b0 + rr;
        for (var g = 0u; g < NG; g++) {
          let a = (rr * UPT + un) * NG + g;
          var v = 0.0;
          if (j < H && b < B) { v = ws[pre + (t * B + b) * G + g * H + j]; }
          acc[a] = v;
          ${gru ? 'var w = 0.0; if (j < H) { w = prm[bhh + g * H + j]; } gh[a] = w;' : ''}
        }
      }
    }`;
}

/** Forward, step t: h W_hh added to the gate sums (GRU: to the recurrent side's). */
function forwardRecurrent(gru: boolean): string {
  return `    // h W_hh: each gate sum continues its chain over k in order (GRU: a chain of its own from b_hh).
    for (var k = 0u; k < H; k++) {
      for (var un = 0u; un < UPT; un++) {
        let j = tid + un * WG;
        if (j < H) {
          for (var g = 0u; g < NG; g++) {
            let w = prm[whh + k * G + g * H + j];
            for (var rr = 0u; rr < RB; rr++) {
              let a = (rr * UPT + un) * NG + g;
              ${gru ? 'gh[a] = fma(hsh[rr * H + k], w, gh[a]);' : 'acc[a] = fma(hsh[rr * H + k], w, acc[a]);'}
            }
          }
        }
      }
    }`;
}

/** Forward, step t: every (row, unit) cell update; h is written, dropped out, and kept for the next step. */
function forwardUpdate(cell: SequenceShape['cell']): string {
  return `    var hn: array<f32, NS>;
    for (var un = 0u; un < UPT; un++) {
      let j = tid + un * WG;
      for (var rr = 0u; rr < RB; rr++) {
        let b = b0 + rr;
        let s = rr * UPT + un;
        let a = s * NG;
        if (j >= H || b >= B) { continue; }
        ${forwardCell(cell)}
        hn[s] = h;
        ws[hs + ((t + 1u) * B + b) * H + j] = h;
        if (drop == 1u) { let q = (t * B + b) * H + j; ws[xd + q] = h * ws[maskOff + q]; }
      }
    }`;
}

/** The forward kernel of a layer: gates, state and output for every step of RB rows. */
export function sequenceForwardWgsl(s: SequenceShape): string {
  const gru = s.cell === 'gru';
  return `${header(s)}
var<workgroup> hsh: array<f32, ${s.RB * s.H}>;
@compute @workgroup_size(${s.WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) tid: u32) {
  let B = W(0u); let T = W(1u); let pre = W(2u); let hs = W(3u); let cs = W(4u); let tc = W(5u); let ghb = W(6u);
  let whh = W(7u); let bhh = W(8u); let maskOff = W(9u); let xd = W(10u); let drop = W(11u);
  let b0 = wid.x * RB;
  var cst: array<f32, NS>;
  for (var q = tid; q < RB * H; q += WG) {
    hsh[q] = 0.0;
    let b = b0 + q / H;
    if (b < B) { ws[hs + b * H + q % H] = 0.0; ${s.cell === 'lstm' ? 'ws[cs + b * H + q % H] = 0.0;' : ''} }
  }
  for (var q = 0u; q < NS; q++) { cst[q] = 0.0; }
  workgroupBarrier();
  for (var t = 0u; t < T; t++) {
${forwardGateStarts(gru)}
${forwardRecurrent(gru)}
${forwardUpdate(s.cell)}
    workgroupBarrier();
    for (var un = 0u; un < UPT; un++) {
      let j = tid + un * WG;
      for (var rr = 0u; rr < RB; rr++) { if (j < H) { hsh[rr * H + j] = hn[rr * UPT + un]; } }
    }
    workgroupBarrier();
  }
}
`;
}

/** The cell's backward step of one (row, unit): gate gradients into dgs and the workspace, dc carried. */
function backwardCell(cell: SequenceShape['cell']): string {
  if (cell === 'rnn')
    return `
        let h = ws[hs + ((t + 1u) * B + b) * H + j];
        let h2 = h * h;
        let dp = d * (1.0 - h2);
        ws[dgx + (t * B + b) * G + j] = dp; dgs[rr * G + j] = dp;`;
  if (cell === 'lstm')
    return `
        let row = (t * B + b) * G + j;
        let i = ws[act + row]; let f = ws[act + row + H];
        let g = ws[act + row + 2u * H]; let o = ws[act + row + 3u * H];
        let tt = ws[tc + (t * B + b) * H + j];
        let cp = ws[cs + (t * B + b) * H + j];
        let t2 = tt * tt;
        let dho = d * o;
        let dcq = dc[s] + dho * (1.0 - t2);
        let dig = dcq * g;
        let di = dig * i * (1.0 - i);
        let dfc = dcq * cp;
        let df = dfc * f * (1.0 - f);
        let g2 = g * g;
        let dg = dcq * i * (1.0 - g2);
        let dot = d * tt;
        let dq = dot * o * (1.0 - o);
        dc[s] = dcq * f;
        ws[dgx + row] = di; ws[dgx + row + H] = df; ws[dgx + row + 2u * H] = dg; ws[dgx + row + 3u * H] = dq;
        dgs[rr * G + j] = di; dgs[rr * G + j + H] = df; dgs[rr * G + j + 2u * H] = dg; dgs[rr * G + j + 3u * H] = dq;`;
  return `
        let row = (t * B + b) * G + j;
        let r = ws[act + row]; let z = ws[act + row + H]; let n = ws[act + row + 2u * H];
        let hp = ws[hs + (t * B + b) * H + j];
        let ghn = ws[ghb + (t * B + b) * H + j];
        let n2 = n * n;
        let dn = d * (1.0 - z) * (1.0 - n2);
        let dz = d * (hp - n) * z * (1.0 - z);
        let drr = dn * ghn * r * (1.0 - r);
        ws[dgx + row] = drr; ws[dgx + row + H] = dz; ws[dgx + row + 2u * H] = dn;
        let dnr = dn * r;
        ws[dgh + row] = drr; ws[dgh + row + H] = dz; ws[dgh + row + 2u * H] = dnr;
        dgs[rr * G + j] = drr; dgs[rr * G + j + H] = dz; dgs[rr * G + j + 2u * H] = dnr;
        dz0[s] = d * z;`;
}

/** The backward kernel of a layer: from the gradient arriving at its outputs to its gate gradients, every step. */
export function sequenceBackwardWgsl(s: SequenceShape): string {
  const gru = s.cell === 'gru';
  return `${header(s)}
var<workgroup> dgs: array<f32, ${s.RB * gatesOf(s.cell) * s.H}>;
@compute @workgroup_size(${s.WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) tid: u32) {
  let B = W(0u); let T = W(1u); let act = W(2u); let hs = W(3u); let cs = W(4u); let tc = W(5u); let ghb = W(6u);
  let whht = W(7u); let din = W(8u); let dinFirst = W(9u); let dgx = W(10u); let dgh = W(11u);
  let b0 = wid.x * RB;
  var dh: array<f32, NS>;
  var dc: array<f32, NS>;
  var dz0: array<f32, NS>;
  for (var q = 0u; q < NS; q++) { dh[q] = 0.0; dc[q] = 0.0; dz0[q] = 0.0; }
  for (var tt1 = T; tt1 > 0u; tt1--) {
    let t = tt1 - 1u;
    for (var un = 0u; un < UPT; un++) {
      let j = tid + un * WG;
      for (var rr = 0u; rr < RB; rr++) {
        let b = b0 + rr;
        let s = rr * UPT + un;
        if (j >= H || b >= B) { continue; }
        var dIn = 0.0;
        if (t >= dinFirst) { dIn = ws[din + ((t - dinFirst) * B + b) * H + j]; }
        let d = dIn + dh[s];
        ${backwardCell(s.cell)}
      }
    }
    workgroupBarrier();
    // dh_prev = dG W_hh (GRU: from the recurrent side's dG, after its direct part z dh), one chain over the gates.
    for (var un = 0u; un < UPT; un++) {
      let j = tid + un * WG;
      if (j >= H) { continue; }
      var acc: array<f32, RB>;
      for (var rr = 0u; rr < RB; rr++) { acc[rr] = ${gru ? 'dz0[rr * UPT + un]' : '0.0'}; }
      for (var g = 0u; g < G; g++) {
        let w = pk[whht + g * H + j];
        for (var rr = 0u; rr < RB; rr++) { acc[rr] = fma(dgs[rr * G + g], w, acc[rr]); }
      }
      for (var rr = 0u; rr < RB; rr++) { dh[rr * UPT + un] = acc[rr]; }
    }
    workgroupBarrier();
  }
}
`;
}
