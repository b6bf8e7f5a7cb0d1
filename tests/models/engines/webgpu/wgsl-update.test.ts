import { describe, expect, it } from 'vitest';
import { selectKernels } from '../../../../src/models/engines/fused/kernels.js';
import { EngineMemory } from '../../../../src/models/engines/fused/memory.js';
import { rowSeed } from '../../../../src/models/engines/fused/rows.js';
import { stepValues } from '../../../../src/models/engines/webgpu/step.js';
import { MASK_WGSL, optimizerWgsl, PACK_WGSL, SUMSQ_WGSL } from '../../../../src/models/engines/webgpu/wgsl-update.js';
import { createRng } from '../../../../src/util/random.js';
import { relError, runKernel, skipGpu } from '../../../helpers/webgpu.js';

const gpu = await skipGpu();

describe.skipIf(gpu.skip)(`dropout masks${gpu.title}`, () => {
  it.each([0.3, 0.5, 1e-9])(
    'are the draws of the fused engine (each row its own mulberry32 from rowSeed), dropout %d',
    async (dropout) => {
      const [B, T, H, layers, seed] = [5, 4, 7, 2, 123456789];
      const n = layers * T * B * H;
      const step = stepValues({ lr: 0, step: 0, seed, dropout, slot: 0 });
      const { ws } = await runKernel(MASK_WGSL, {
        words: [B, T, H, layers, 0, T * B * H],
        buffers: { ws: new Float32Array(n) },
        step,
        grid: [Math.ceil(n / 256)],
      });
      const keep = 1 - dropout;
      for (let b = 0; b < B; b++) {
        const r = createRng(rowSeed(seed, b));
        for (let k = 0; k < layers; k++)
          for (let t = 0; t < T; t++)
            for (let j = 0; j < H; j++)
              expect(ws[k * T * B * H + (t * B + b) * H + j]).toBe(r.next() < keep ? Math.fround(1 / keep) : 0);
      }
    },
  );

  it('are all ones when the step turns dropout off (gradients without dropout)', async () => {
    const step = stepValues({ lr: 0, step: 0, dropout: 0.5, slot: 0 });
    const { ws } = await runKernel(MASK_WGSL, {
      words: [2, 2, 3, 1, 0],
      buffers: { ws: new Float32Array(12) },
      step,
      grid: [1],
    });
    expect(Array.from(ws)).toEqual(Array(12).fill(1));
  });
});

describe.skipIf(gpu.skip)(`optimizers and clipping against the fused engine's kernels${gpu.title}`, () => {
  const n = 1000;
  const rng = createRng(8);
  const P = Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
  const G = Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
  const M = Float32Array.from({ length: n }, () => rng.uniform(-0.1, 0.1));
  const V = Float32Array.from({ length: n }, () => rng.uniform(0, 0.01));

  it.each(['adam', 'rmsprop', 'sgd'] as const)(
    '%s with the gradient norm clipped to 1: parameters and moments within 1e-5',
    async (name) => {
      const mem = new EngineMemory(selectKernels()!);
      try {
        const [p, g, m, v] = [P, G, M, V].map((a) => {
          const at = mem.alloc(n);
          mem.f32(at, n).set(a);
          return at;
        });
        const norm = Math.sqrt(mem.kernels.sumsq(g, n));
        const scale = Math.min(1, 1 / (norm + 1e-6));
        const stepNo = 3;
        if (name === 'adam')
          mem.kernels.opt_adam(p, g, m, v, n, 0.01, 0.9, 0.999, 1e-8, 1 - 0.9 ** stepNo, 1 - 0.999 ** stepNo, scale);
        else if (name === 'rmsprop') mem.kernels.opt_rmsprop(p, g, v, n, 0.01, 0.99, 1e-8, scale);
        else mem.kernels.opt_sgd(p, g, n, 0.01, scale);
        const step = stepValues({ lr: 0.01, step: name === 'adam' ? stepNo : 0, clip: 1, dropout: 0, slot: 0 });
        const mv = name === 'adam' ? Float32Array.from([...M, ...V]) : V.slice();
        const misc = new Float32Array(8);
        const norms = await runKernel(SUMSQ_WGSL, { update: true, words: [n], buffers: { grd: G, misc }, grid: [1] });
        expect(Math.abs(Math.sqrt(norms.misc[0]) - norm) / norm).toBeLessThan(1e-5);
        const got = await runKernel(optimizerWgsl(name), {
          update: true,
          words: [n],
          buffers: { prm: P, grd: G, mv, misc: norms.misc },
          step,
          grid: [Math.ceil(n / 256)],
        });
        expect(relError(got.prm.subarray(0, n), mem.f32(p, n))).toBeLessThan(1e-5);
        if (name === 'adam') expect(relError(got.mv.subarray(0, n), mem.f32(m, n))).toBeLessThan(1e-5);
        if (name !== 'sgd')
          expect(
            relError(got.mv.subarray(name === 'adam' ? n : 0, name === 'adam' ? 2 * n : n), mem.f32(v, n)),
          ).toBeLessThan(1e-5);
      } finally {
        mem.release();
      }
    },
  );
});

describe.skipIf(gpu.skip)(`packing${gpu.title}`, () => {
  it.each([0, 1])('transposes W_hh and forms the input bias (gru %i: b_ih alone)', async (gru) => {
    const [H, G] = [5, 15];
    const prm = Float32Array.from({ length: H * G + 2 * G }, (_, i) => i + 0.5);
    const { pk } = await runKernel(PACK_WGSL, {
      update: true,
      words: [H, G, 0, 0, H * G, H * G + G, G * H, gru],
      buffers: { prm, pk: new Float32Array(G * H + G) },
      grid: [1],
    });
    for (let g = 0; g < G; g++) for (let j = 0; j < H; j++) expect(pk[g * H + j]).toBe(prm[j * G + g]);
    for (let g = 0; g < G; g++)
      expect(pk[G * H + g]).toBe(gru ? prm[H * G + g] : Math.fround(prm[H * G + g] + prm[H * G + G + g]));
  });
});
