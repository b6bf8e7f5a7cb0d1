import { describe, expect, it } from 'vitest';
import { selectKernels } from '../../../../src/models/engines/fused/kernels.js';
import { EngineMemory } from '../../../../src/models/engines/fused/memory.js';
import { kSplits } from '../../../../src/models/engines/webgpu/record.js';
import {
  COLSUM_WGSL,
  INIT,
  PRODUCT_WGSL,
  REDUCE_WGSL,
  SPACE,
} from '../../../../src/models/engines/webgpu/wgsl-products.js';
import { createRng } from '../../../../src/util/random.js';
import { relError, runKernel, skipGpu } from '../../../helpers/webgpu.js';

const gpu = await skipGpu();
// Edges: single elements, shapes that are not multiples of the 64 x 64 tile or of 16 rows of K, several tiles.
const SHAPES: Array<[number, number, number]> = [
  [1, 1, 1],
  [7, 17, 5],
  [70, 65, 33],
  [130, 20, 300],
];

/** The fused engine's gemm on the same inputs: C = beta C + A B, A read through (rsa, csa). */
function fusedGemm(
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  rsa: number,
  csa: number,
  B: Float32Array,
  C0: Float32Array,
  beta: number,
): Float32Array {
  const mem = new EngineMemory(selectKernels()!);
  try {
    const [a, b, c, scratch] = [A.length, B.length, C0.length, mem.kernels.scratch_floats(0)].map((n) => mem.alloc(n));
    mem.f32(a, A.length).set(A);
    mem.f32(b, B.length).set(B);
    mem.f32(c, C0.length).set(C0);
    mem.kernels.gemm(M, N, K, a, rsa, csa, b, N, c, N, beta, scratch);
    return mem.f32(c, C0.length).slice();
  } finally {
    mem.release();
  }
}

describe.skipIf(gpu.skip)(`the tiled product kernel against the fused engine's gemm${gpu.title}`, () => {
  it.each(SHAPES)('C = A B and C += A^T B at %i x %i x %i agree within 1e-5', async (M, N, K) => {
    const rng = createRng(M * 7 + N * 3 + K);
    const A = Float32Array.from({ length: M * K }, () => rng.uniform(-1, 1));
    const B = Float32Array.from({ length: K * N }, () => rng.uniform(-1, 1));
    const C0 = Float32Array.from({ length: M * N }, () => rng.uniform(-1, 1));
    const AT = new Float32Array(M * K);
    for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) AT[k * M + i] = A[i * K + k];
    // Row-major A from the workspace into the workspace; transposed A accumulating into the gradients.
    const ws = new Float32Array(M * K + M * N);
    ws.set(A);
    const plain = await runKernel(PRODUCT_WGSL, {
      words: [M, N, K, 0, K, 1, SPACE.WS, 0, N, 1, SPACE.P, M * K, N, SPACE.WS, INIT.ZERO],
      buffers: { ws, prm: B },
      grid: [Math.ceil(N / 64), Math.ceil(M / 64)],
    });
    expect(relError(plain.ws.subarray(M * K, M * K + M * N), fusedGemm(M, N, K, A, K, 1, B, C0, 0))).toBeLessThan(1e-5);
    const acc = await runKernel(PRODUCT_WGSL, {
      words: [M, N, K, 0, 1, M, SPACE.WS, 0, N, 1, SPACE.P, 0, N, SPACE.G, INIT.SELF],
      buffers: { ws: AT, prm: B, grd: C0 },
      grid: [Math.ceil(N / 64), Math.ceil(M / 64)],
    });
    expect(relError(acc.grd.subarray(0, M * N), fusedGemm(M, N, K, AT, 1, M, B, C0, 1))).toBeLessThan(1e-5);
  });

  it('starts from a bias row and scales by a mask after rounding (input projection, dropout)', async () => {
    const [M, N, K] = [9, 12, 4];
    const rng = createRng(5);
    const A = Float32Array.from({ length: M * K }, () => rng.uniform(-1, 1));
    const B = Float32Array.from({ length: K * N }, () => rng.uniform(-1, 1));
    const bias = Float32Array.from({ length: N }, () => rng.uniform(-1, 1));
    const mask = Float32Array.from({ length: M * N }, () => (rng.next() < 0.5 ? 0 : 2));
    const ws = new Float32Array(M * K + 2 * M * N);
    ws.set(A);
    ws.set(mask, M * K + M * N);
    const prm = new Float32Array(K * N + N);
    prm.set(B);
    prm.set(bias, K * N);
    const words = [
      M,
      N,
      K,
      0,
      K,
      1,
      SPACE.WS,
      0,
      N,
      1,
      SPACE.P,
      M * K,
      N,
      SPACE.WS,
      INIT.BIAS,
      K * N,
      M * K + M * N,
      1,
      SPACE.P,
    ];
    const got = (await runKernel(PRODUCT_WGSL, { words, buffers: { ws, prm }, grid: [1, 1] })).ws.subarray(
      M * K,
      M * K + M * N,
    );
    const C0 = Float32Array.from({ length: M * N }, (_, q) => bias[q % N]);
    const want = fusedGemm(M, N, K, A, K, 1, B, C0, 1).map((v, q) => v * mask[q]);
    expect(relError(got, want)).toBeLessThan(1e-6);
    expect(
      Array.from(got)
        .filter((_, q) => mask[q] === 0)
        .every((v) => v === 0),
    ).toBe(true);
  });
});

describe.skipIf(gpu.skip)(`split-K weight gradients${gpu.title}`, () => {
  it('partials of K chunks added in chunk order are within 1e-5 of the fused gemm', async () => {
    const [M, N, K] = [5, 70, 5000];
    const S = kSplits(M, N, K);
    expect(S).toBe(5);
    const chunk = Math.ceil(K / S / 16) * 16;
    const rng = createRng(4);
    const AT = Float32Array.from({ length: K * M }, () => rng.uniform(-1, 1));
    const B = Float32Array.from({ length: K * N }, () => rng.uniform(-1, 1));
    const part = K * M;
    const ws = new Float32Array(part + S * M * N);
    ws.set(AT);
    const words = [
      M,
      N,
      K,
      0,
      1,
      M,
      SPACE.WS,
      0,
      N,
      1,
      SPACE.P,
      0,
      N,
      SPACE.G,
      INIT.ZERO,
      0,
      0,
      0,
      SPACE.P,
      chunk,
      part,
    ];
    const partials = await runKernel(PRODUCT_WGSL, {
      words,
      buffers: { ws, prm: B, grd: new Float32Array(M * N) },
      grid: [2, 1, S],
    });
    const { grd } = await runKernel(REDUCE_WGSL, {
      words: [M * N, S, part, 0, N, N, SPACE.G],
      buffers: { ws: partials.ws, grd: new Float32Array(M * N) },
      grid: [Math.ceil((M * N) / 256)],
    });
    expect(relError(grd, fusedGemm(M, N, K, AT, 1, M, B, new Float32Array(M * N), 0))).toBeLessThan(1e-5);
  });
});

describe.skipIf(gpu.skip)(`the bias-gradient column sums${gpu.title}`, () => {
  it('sum rows in four chains (rows i % 4) and write one or two places', async () => {
    const [rows, N] = [37, 300];
    const rng = createRng(9);
    const ws = Float32Array.from({ length: rows * N }, () => rng.uniform(-1, 1));
    const { grd } = await runKernel(COLSUM_WGSL, {
      words: [rows, N, 0, N, 0, 1, N],
      buffers: { ws, grd: new Float32Array(2 * N) },
      grid: [2],
    });
    for (let j = 0; j < N; j++) {
      const s = [0, 0, 0, 0];
      for (let i = 0; i < rows; i++) s[i & 3] = Math.fround(s[i & 3] + ws[i * N + j]);
      const want = Math.fround(Math.fround(s[0] + s[1]) + Math.fround(s[2] + s[3]));
      expect(grd[j]).toBe(want);
      expect(grd[N + j]).toBe(want);
    }
  });
});
