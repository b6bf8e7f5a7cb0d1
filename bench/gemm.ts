/** Bench: GFLOP/s of the fused engine's WebAssembly products at the LSTM case's shapes and at 512^3, next to PyTorch's 1-thread matmul. */
import { spawnSync } from 'node:child_process';
import { KernelArena, kernelModule } from '../src/models/fused/kernels.js';
import { findPython } from './python.js';

/** One measured product. */
export interface GemmCase {
  name: string;
  gflops: number;
}

/** Times each product shape for ~0.3 s and reports GFLOP/s. */
export function benchGemm(): { cases: GemmCase[]; torch512?: number } {
  const module = kernelModule();
  if (!module) return { cases: [] };
  const arena = new KernelArena(module);
  const k = arena.k;
  const shapes: Array<[string, number, number, number, (a: number, b: number, c: number) => void]> = [
    ['recurrent step  x.W   64x256x64 (A.B)', 64, 256, 64, (a, b, c) => k.gemm_ab(64, 256, 64, a, 64, 1, b, c, 1)],
    ['backward dh     64x64x256 (A.B^T)', 64, 64, 256, (a, b, c) => k.gemm_abt(64, 64, 256, a, b, c, 0)],
    ['weight grad   64x256x1920 (A^T.B)', 64, 256, 1920, (a, b, c) => k.gemm_ab(64, 256, 1920, a, 1, 64, b, c, 1)],
    ['square          512x512x512 (A.B)', 512, 512, 512, (a, b, c) => k.gemm_ab(512, 512, 512, a, 512, 1, b, c, 0)],
  ];
  const cases = shapes.map(([name, M, N, K, run]) => {
    const a = arena.alloc(M * K);
    const b = arena.alloc(K * N);
    const c = arena.alloc(M * N);
    arena.view(a, M * K).fill(0.5);
    arena.view(b, K * N).fill(0.25);
    run(a, b, c);
    let reps = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 300) {
      run(a, b, c);
      reps++;
    }
    const seconds = (performance.now() - t0) / 1000;
    return { name, gflops: (2 * M * N * K * reps) / seconds / 1e9 };
  });
  const python = findPython(['torch']);
  let torch512: number | undefined;
  if (python) {
    const script = 'import torch,time\ntorch.set_num_threads(1)\na=torch.rand(512,512);b=torch.rand(512,512)\na@b\nn=0;t=time.perf_counter()\nwhile time.perf_counter()-t<0.5:\n  a@b;n+=1\nprint(2*512**3*n/(time.perf_counter()-t)/1e9)';
    const r = spawnSync(python, ['-c', script], { encoding: 'utf8' });
    torch512 = Number.parseFloat(r.stdout);
  }
  return { cases, ...(torch512 ? { torch512 } : {}) };
}
