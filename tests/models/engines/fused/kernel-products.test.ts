import { describe, expect, it } from 'vitest';
import { selectKernels } from '../../../../src/models/engines/fused/kernels.js';
import { EngineMemory } from '../../../../src/models/engines/fused/memory.js';
import { createRng } from '../../../../src/util/random.js';
import { kernelPaths, withPath } from '../../../helpers/kernel-paths.js';

// Shapes with every kind of edge: single elements, rows and columns that are not multiples of any register tile,
// K across several packing blocks, N across several column blocks.
const SHAPES: Array<[number, number, number]> = [
  [1, 1, 1],
  [7, 17, 5],
  [13, 40, 300],
  [50, 300, 257],
  [97, 33, 1],
];

describe('dense products on every kernel build', () => {
  for (const path of kernelPaths()) {
    it.each(SHAPES)(`${path.name}: C = A B and C += A^T B at %i x %i x %i match float64`, (M, N, K) =>
      withPath(path, async () => {
        const mem = new EngineMemory(selectKernels(path.kernels)!);
        try {
          const rng = createRng(M * 1000 + N * 10 + K);
          const A = Float32Array.from({ length: M * K }, () => rng.uniform(-1, 1));
          const B = Float32Array.from({ length: K * N }, () => rng.uniform(-1, 1));
          const C0 = Float32Array.from({ length: M * N }, () => rng.uniform(-1, 1));
          const [a, at, b, c, scratch] = [M * K, M * K, K * N, M * N, mem.kernels.scratch_floats(0)].map((n) =>
            mem.alloc(n),
          );
          mem.f32(a, M * K).set(A);
          // A^T stored [K, M]
          const AT = mem.f32(at, M * K);
          for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) AT[k * M + i] = A[i * K + k];
          mem.f32(b, K * N).set(B);
          for (const [transposed, beta] of [
            [false, 0],
            [true, 1],
          ] as const) {
            mem.f32(c, M * N).set(C0);
            if (transposed) mem.kernels.gemm(M, N, K, at, 1, M, b, N, c, N, beta, scratch);
            else mem.kernels.gemm(M, N, K, a, K, 1, b, N, c, N, beta, scratch);
            const got = mem.f32(c, M * N);
            for (let i = 0; i < M; i++)
              for (let j = 0; j < N; j++) {
                let want = beta ? C0[i * N + j] : 0;
                for (let k = 0; k < K; k++) want += A[i * K + k] * B[k * N + j];
                expect(Math.abs(got[i * N + j] - want)).toBeLessThan(1e-5 * (1 + Math.sqrt(K)));
              }
          }
        } finally {
          mem.release();
        }
      }),
    );
  }
});
