import { describe, expect, it } from 'vitest';
import { selectKernels } from '../../../../src/models/engines/fused/kernels.js';
import { EngineMemory } from '../../../../src/models/engines/fused/memory.js';
import { MAIN_BINDINGS, MATH } from '../../../../src/models/engines/webgpu/wgsl-common.js';
import { createRng } from '../../../../src/util/random.js';
import { runKernel, skipGpu } from '../../../helpers/webgpu.js';

const gpu = await skipGpu();

const MAP = `${MAIN_BINDINGS}${MATH}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let n = W(0u); let i = gid.x;
  if (i >= n) { return; }
  ws[n + i] = sc_exp(ws[i]); ws[2u * n + i] = sc_sigmoid(ws[i]); ws[3u * n + i] = sc_tanh(ws[i]);
}`;

describe.skipIf(gpu.skip)(`WGSL exp, sigmoid and tanh against the fused engine's kernels${gpu.title}`, () => {
  it('agree within 1e-5 relative from -90 to 90, around the polynomial switch and at zero', async () => {
    const rng = createRng(11);
    const x = Float32Array.from([
      0,
      -0,
      0.625,
      -0.625,
      0.6249,
      1e-8,
      -1e-8,
      10,
      -10,
      20,
      -20,
      88,
      -88,
      90,
      -90,
      ...Array.from({ length: 2000 }, () => rng.uniform(-30, 30)),
      ...Array.from({ length: 500 }, () => rng.uniform(-1, 1)),
    ]);
    const n = x.length;
    const ws = new Float32Array(4 * n);
    ws.set(x);
    const out = (await runKernel(MAP, { words: [n], buffers: { ws }, grid: [Math.ceil(n / 256)] })).ws;
    const mem = new EngineMemory(selectKernels()!);
    try {
      const p = mem.alloc(n);
      const fused = (fn: 'exp_inplace' | 'sigmoid_inplace' | 'tanh_inplace') => {
        mem.f32(p, n).set(x);
        mem.kernels[fn](p, n);
        return mem.f32(p, n).slice();
      };
      const refs = [fused('exp_inplace'), fused('sigmoid_inplace'), fused('tanh_inplace')];
      refs.forEach((ref, f) => {
        for (let i = 0; i < n; i++) {
          const got = out[(f + 1) * n + i];
          // Results below float32's smallest normal number may flush to zero on a GPU.
          expect(Math.abs(got - ref[i]), `${['exp', 'sigmoid', 'tanh'][f]}(${x[i]})`).toBeLessThanOrEqual(
            1e-5 * Math.abs(ref[i]) + 1.2e-38,
          );
        }
      });
    } finally {
      mem.release();
    }
  });
});
