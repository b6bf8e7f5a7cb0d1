/**
 * A thread's share of a batch: dropout masks, forward pass, loss and backward pass for rows [r0, r1). The same
 * code runs on the main thread and in gradient workers; everything it reads and writes is in the engine's
 * shared memory, located through the descriptor, and nothing depends on which thread runs which rows.
 */
import { createRng } from '../../../util/random.js';
import type { Kernels } from './kernels.js';
import { D, descWords, JW, jsWord, LW } from './layout.js';
import { crossEntropyRows, mseRows, qlikeRows, quantileRows } from './losses.js';

/** The seed of row r's dropout masks within a batch: rows draw from their own generators, in any thread. */
export function rowSeed(batchSeed: number, row: number): number {
  return (batchSeed ^ Math.imul(row + 1, 0x9e3779b1)) >>> 0;
}

/** Fills the dropout masks of rows [r0, r1) for every layer below the top: 1/keep or 0, per row from its seed. */
function fillMasks(buf: ArrayBufferLike, d: Float64Array, r0: number, r1: number): void {
  const L = d[D.L];
  const B = d[D.B];
  const T = d[D.T];
  const H = d[D.H];
  const keep = d[jsWord(L, JW.KEEP)];
  const seed = d[jsWord(L, JW.SEED)];
  for (let r = r0; r < r1; r++) {
    const rng = createRng(rowSeed(seed, r));
    for (let k = 0; k < L - 1; k++) {
      const mask = new Float32Array(buf, d[D.LAYERS + k * LW.WORDS + LW.MASK], T * B * H);
      for (let t = 0; t < T; t++) {
        const o = (t * B + r) * H;
        for (let j = 0; j < H; j++) mask[o + j] = rng.next() < keep ? 1 / keep : 0;
      }
    }
  }
}

/** Forward, loss (per-row sums into the row-loss buffer) and, when `backward`, the backward pass of rows [r0, r1). */
export function runRows(
  k: Kernels,
  buf: ArrayBufferLike,
  desc: number,
  r0: number,
  r1: number,
  backward: boolean,
): void {
  if (r1 <= r0) return;
  const L = new Float64Array(buf, desc, D.LAYERS)[D.L];
  const d = new Float64Array(buf, desc, descWords(L));
  if (d[D.DROP]) fillMasks(buf, d, r0, r1);
  k.model_forward(desc, r0, r1);
  const B = d[D.B];
  const T = d[D.T];
  const O = d[D.O];
  const xent = d[D.LOSS] === 1;
  const rows = xent ? T * B : B;
  const out = new Float32Array(buf, d[D.OUT], rows * O);
  const grad = new Float32Array(buf, d[D.DOUT], rows * O);
  const rowLoss = new Float64Array(buf, d[jsWord(L, JW.ROWLOSS)], B);
  const K = d[jsWord(L, JW.QK)];
  if (xent) crossEntropyRows(out, grad, new Int32Array(buf, d[jsWord(L, JW.Y)], B * T), rowLoss, r0, r1, B, T, O);
  else if (K > 0)
    quantileRows(
      out,
      grad,
      new Float32Array(buf, d[jsWord(L, JW.Y)], (B * O) / K),
      rowLoss,
      r0,
      r1,
      B,
      new Float64Array(buf, d[jsWord(L, JW.QLEVELS)], K),
    );
  else if (d[jsWord(L, JW.QSCALE)] > 0) {
    const scale = new Float32Array(buf, d[jsWord(L, JW.QSCALE)], B);
    qlikeRows(out, grad, new Float32Array(buf, d[jsWord(L, JW.Y)], B * O), scale, rowLoss, r0, r1, B, O);
  } else mseRows(out, grad, new Float32Array(buf, d[jsWord(L, JW.Y)], B * O), rowLoss, r0, r1, B, O);
  if (backward) k.model_backward(desc, r0, r1);
}
