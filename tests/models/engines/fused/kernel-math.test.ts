import { describe, expect, it } from 'vitest';
import { selectKernels } from '../../../../src/models/engines/fused/kernels.js';
import { EngineMemory } from '../../../../src/models/engines/fused/memory.js';
import { kernelPaths, withPath } from '../../../helpers/kernel-paths.js';

// Every 997th float32 bit pattern of the finite range (both signs), plus the places where the formulas switch.
function sweep(): Float32Array {
  const bits = new Uint32Array(2 * Math.ceil(0x7f800000 / 997) + 64);
  let n = 0;
  for (let b = 0; b < 0x7f800000; b += 997) {
    bits[n++] = b;
    bits[n++] = b | 0x80000000;
  }
  const out = new Float32Array(bits.buffer, 0, n);
  const extra = [
    1e-6, -1e-6, 1e-30, 0.625, -0.625, 0.62499994, 10, -10, 20, 88, 88.5, -87.3, -87.4, -103, -104, -110, 1e30, -1e30,
    3.4e38, -3.4e38, 0, -0,
  ];
  return Float32Array.from([...out, ...extra]);
}

const INPUTS = sweep();
const TINY = 2 ** -149;

// float64 references; sigmoid in the form that keeps relative accuracy for negative x.
const refs = {
  tanh: (x: number) => Math.tanh(x),
  sigmoid: (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  exp: (x: number) => Math.exp(x),
};

function run(fn: 'tanh' | 'sigmoid' | 'exp', xs: Float32Array, kernels: 'native' | 'wasm'): Float32Array {
  const mem = new EngineMemory(selectKernels(kernels)!);
  try {
    const p = mem.alloc(xs.length);
    mem.f32(p, xs.length).set(xs);
    mem.kernels[`${fn}_inplace`](p, xs.length);
    return mem.f32(p, xs.length).slice();
  } finally {
    mem.release();
  }
}

describe('kernel math over the whole float range (the committed kernel files)', () => {
  for (const path of kernelPaths()) {
    for (const fn of ['tanh', 'sigmoid', 'exp'] as const) {
      it(`${path.name}: ${fn} within 1e-6 relative (gradual underflow: one subnormal step)`, async () => {
        // exp is used for arguments up to 20 (tanh) and at most 0 (sigmoid); it clamps at 88.5.
        const xs = fn === 'exp' ? INPUTS.filter((x) => x <= 88.5) : INPUTS;
        const got = await withPath(path, async () => run(fn, xs, path.kernels));
        let worst = 0;
        let at = 0;
        for (let i = 0; i < xs.length; i++) {
          const ref = refs[fn](xs[i]);
          const err = Math.abs(got[i] - ref) / (Math.abs(ref) + TINY / 1e-6);
          if (!(err <= worst)) {
            worst = err;
            at = xs[i];
          }
        }
        expect(worst, `worst at x = ${at}`).toBeLessThan(1e-6);
      });
    }
  }

  it('tanh near 0 is x to float precision (the old 1 - 2/(e^2x + 1) was 5% off at 1e-6)', async () => {
    const xs = Float32Array.from([1e-6, -1e-6, 1e-7, 3e-4, 1e-20]);
    for (const path of kernelPaths()) {
      const got = await withPath(path, async () => run('tanh', xs, path.kernels));
      got.forEach((v, i) => expect(Math.abs(v - Math.tanh(xs[i])) / Math.abs(xs[i])).toBeLessThan(1e-7));
    }
  });

  it('saturates to exactly +-1 and 0/1 far out, and is odd', async () => {
    const xs = Float32Array.from([10, -10, 50, -50, 3e38, -3e38]);
    for (const path of kernelPaths()) {
      const t = await withPath(path, async () => run('tanh', xs, path.kernels));
      expect(Array.from(t)).toEqual([1, -1, 1, -1, 1, -1]);
      const s = await withPath(path, async () =>
        run('sigmoid', Float32Array.from([20, 120, -120, -3e38]), path.kernels),
      );
      expect(Array.from(s)).toEqual([Math.fround(1 / (1 + Math.exp(-20))), 1, 0, 0]);
      const odd = await withPath(path, async () =>
        run('tanh', Float32Array.from([0.3, -0.3, 2.5, -2.5]), path.kernels),
      );
      expect([odd[0], odd[2]]).toEqual([-odd[1], -odd[3]]);
    }
  });

  it('the native builds agree bit for bit at every vector width (AVX2, 16-lane, AVX-512 where present)', async () => {
    const native = kernelPaths().filter((p) => p.kernels === 'native');
    for (const fn of ['tanh', 'sigmoid'] as const) {
      const outs = [];
      for (const path of native) outs.push(await withPath(path, async () => run(fn, INPUTS, 'native')));
      for (const o of outs.slice(1)) expect(Buffer.from(o.buffer).equals(Buffer.from(outs[0].buffer))).toBe(true);
    }
  });
});
