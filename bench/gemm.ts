/** Bench: GFLOP/s of the fused engine's products (native and WebAssembly kernels) at training shapes and 512^3, next to PyTorch's 1-thread matmul. */
import { spawnSync } from 'node:child_process';
import { selectKernels } from '../src/models/engines/fused/kernels.js';
import { EngineMemory } from '../src/models/engines/fused/memory.js';
import { findPython } from './python.js';

/** One measured product. */
export interface GemmCase {
  kernels: string;
  name: string;
  gflops: number;
}

/** Times each product shape for ~0.3 s on every kernel kind available and reports GFLOP/s. */
export function benchGemm(): { cases: GemmCase[]; torch512?: number } {
  const cases: GemmCase[] = [];
  for (const choice of ['native', 'wasm'] as const) {
    const info = selectKernels(choice);
    if (!info) continue;
    const mem = new EngineMemory(info);
    const k = mem.kernels;
    const scratch = mem.alloc(k.scratch_floats(0));
    // [name, M, N, K, A strides (row, column)]: C = A B with B row-major [K, N].
    const shapes: Array<[string, number, number, number, number, number]> = [
      ['recurrent step  64x1024x256 (h W_hh, LSTM 256)', 64, 1024, 256, 256, 1],
      ['backward dh     64x256x1024 (dG W_hh^T)', 64, 256, 1024, 1024, 1],
      ['weight grad   256x1024x1920 (H^T dG)', 256, 1024, 1920, 1, 256],
      ['square          512x512x512', 512, 512, 512, 512, 1],
    ];
    for (const [name, M, N, K, rsa, csa] of shapes) {
      const a = mem.alloc(M * K);
      const b = mem.alloc(K * N);
      const c = mem.alloc(M * N);
      mem.f32(a, M * K).fill(0.5);
      mem.f32(b, K * N).fill(0.25);
      const run = () => k.gemm(M, N, K, a, rsa, csa, b, N, c, N, 0, scratch);
      run();
      let reps = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < 300) {
        run();
        reps++;
      }
      cases.push({
        kernels: `${info.kind}-${info.isa}`,
        name,
        gflops: (2 * M * N * K * reps) / ((performance.now() - t0) / 1000) / 1e9,
      });
    }
    mem.release();
  }
  const python = findPython(['torch']);
  let torch512: number | undefined;
  if (python) {
    const script =
      'import torch,time\ntorch.set_num_threads(1)\na=torch.rand(512,512);b=torch.rand(512,512)\na@b\nn=0;t=time.perf_counter()\nwhile time.perf_counter()-t<0.5:\n  a@b;n+=1\nprint(2*512**3*n/(time.perf_counter()-t)/1e9)';
    const r = spawnSync(python, ['-c', script], { encoding: 'utf8' });
    torch512 = Number.parseFloat(r.stdout);
  }
  return { cases, ...(torch512 ? { torch512 } : {}) };
}
