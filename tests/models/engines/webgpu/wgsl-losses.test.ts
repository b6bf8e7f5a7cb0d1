import { describe, expect, it } from 'vitest';
import { crossEntropyRows, mseRows, qlikeRows, quantileRows } from '../../../../src/models/engines/fused/losses.js';
import { BATCH_LOSS_WGSL, lossWgsl } from '../../../../src/models/engines/webgpu/wgsl-losses.js';
import { createRng } from '../../../../src/util/random.js';
import { relError, runKernel, skipGpu } from '../../../helpers/webgpu.js';

const gpu = await skipGpu();
const rng = createRng(21);
const uniform = (n: number, lo = -2, hi = 2) => Float32Array.from({ length: n }, () => rng.uniform(lo, hi));

/**
 * Runs a loss kernel on [out | dOut | y | rowLoss | scale] in the workspace; returns the gradient and the row
 * losses. `scale` holds QLIKE's per-row factors.
 */
async function gpuLoss(
  name: string,
  B: number,
  T: number,
  O: number,
  out: Float32Array,
  y: Float32Array,
  levels?: number[],
  scale?: Float32Array,
) {
  const rows = out.length;
  const ws = new Float32Array(2 * rows + y.length + 2 * B);
  ws.set(out);
  ws.set(y, 2 * rows);
  if (scale) ws.set(scale, 2 * rows + y.length + B);
  const misc = new Float32Array(8 + (levels?.length ?? 0));
  if (levels) misc.set(levels, 4);
  const words = [B, T, O, 0, rows, 2 * rows, 2 * rows + y.length, levels?.length ?? 0, 4, 2 * rows + y.length + B];
  const r = await runKernel(lossWgsl(name), { words, buffers: { ws, misc }, grid: [Math.ceil(B / 256)] });
  return { grad: r.ws.subarray(rows, 2 * rows), rowLoss: r.ws.subarray(2 * rows + y.length, 2 * rows + y.length + B) };
}

describe.skipIf(gpu.skip)(`the loss kernels against the fused engine's losses${gpu.title}`, () => {
  it('mse: row losses and gradients within 1e-5', async () => {
    const [B, O] = [300, 3];
    const out = uniform(B * O);
    const y = uniform(B * O);
    const grad = new Float32Array(B * O);
    const rowLoss = new Float64Array(B);
    mseRows(out, grad, y, rowLoss, 0, B, B, O);
    const g = await gpuLoss('mse', B, 1, O, out, y);
    expect(relError(g.grad, grad)).toBeLessThan(1e-5);
    expect(relError(g.rowLoss, rowLoss)).toBeLessThan(1e-5);
  });

  it('qlike on log variances with per-row factors: row losses and gradients within 1e-5 of qlikeRows', async () => {
    const [B, O] = [300, 2];
    const out = uniform(B * O, -3, 1);
    const y = uniform(B * O, -3, 1);
    const scale = uniform(B, 0.3, 2.5);
    const grad = new Float32Array(B * O);
    const rowLoss = new Float64Array(B);
    qlikeRows(out, grad, y, scale, rowLoss, 0, B, B, O);
    const g = await gpuLoss('qlike', B, 1, O, out, y, undefined, scale);
    expect(relError(g.grad, grad)).toBeLessThan(1e-5);
    expect(relError(g.rowLoss, rowLoss)).toBeLessThan(1e-5);
  });

  it('cross-entropy at every step: row losses and gradients within 1e-5', async () => {
    const [B, T, V] = [20, 7, 11];
    const logits = uniform(T * B * V, -6, 6);
    const labels = Int32Array.from({ length: B * T }, () => rng.int(V));
    const grad = new Float32Array(T * B * V);
    const rowLoss = new Float64Array(B);
    crossEntropyRows(logits, grad, labels, rowLoss, 0, B, B, T, V);
    const g = await gpuLoss('xent', B, T, V, logits, new Float32Array(labels.buffer));
    expect(relError(g.grad, grad)).toBeLessThan(1e-5);
    expect(relError(g.rowLoss, rowLoss)).toBeLessThan(1e-5);
  });

  it('pinball loss of the quantile head: row losses and gradients within 1e-5', async () => {
    const levels = [0.05, 0.25, 0.5, 0.75, 0.95];
    const [B, S, K] = [40, 3, levels.length];
    const out = uniform(B * S * K, -3, 3);
    const y = uniform(B * S);
    const grad = new Float32Array(B * S * K);
    const rowLoss = new Float64Array(B);
    quantileRows(out, grad, y, rowLoss, 0, B, B, levels);
    const g = await gpuLoss('quantile', B, 1, S * K, out, y, levels);
    expect(relError(g.grad, grad)).toBeLessThan(1e-5);
    expect(relError(g.rowLoss, rowLoss)).toBeLessThan(1e-5);
  });

  it('the batch loss adds row losses in order into its slot of the history', async () => {
    const B = 50;
    const ws = uniform(B, 0, 3);
    const step = new Uint32Array(12);
    step[7] = 3;
    const denom = new Uint32Array(new Float32Array([B * 2]).buffer)[0];
    const { misc } = await runKernel(BATCH_LOSS_WGSL, {
      words: [B, 0, denom, 10],
      buffers: { ws, misc: new Float32Array(16) },
      step,
      grid: [1],
    });
    let s = 0;
    for (let b = 0; b < B; b++) s = Math.fround(s + ws[b]);
    expect(misc[13]).toBe(Math.fround(s / (B * 2)));
  });
});
