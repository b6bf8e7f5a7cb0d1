/** The fused engine's kernel builds available on this machine, so equivalence tests run on each of them. */
import { nativeKernels, selectKernels } from '../../src/models/engines/fused/kernels.js';

/** A kernel build: the `kernels` engine config and, for native builds, the instruction set to force. */
export interface KernelPath {
  name: string;
  kernels: 'native' | 'wasm';
  isa?: string;
}

/** wasm always; native avx2 and its 16-lane test build where the CPU has AVX2; avx512 where it has AVX-512. */
export function kernelPaths(): KernelPath[] {
  const paths: KernelPath[] = [];
  if (selectKernels('wasm')) paths.push({ name: 'wasm-simd128', kernels: 'wasm' });
  const native = nativeKernels();
  if (native) {
    const best = native.addon.cpu().best;
    paths.push(
      { name: 'native-avx2', kernels: 'native', isa: 'avx2' },
      { name: 'native-emu16', kernels: 'native', isa: 'emu16' },
    );
    if (best === 'avx512') paths.push({ name: 'native-avx512', kernels: 'native', isa: 'avx512' });
  }
  return paths;
}

/**
 * Runs `fn` with STOCKCAST_KERNELS and STOCKCAST_NATIVE_ISA set for the path (so code that creates engines
 * without a `kernels` option, like importTorchRnn or forecasters, uses it too), restoring both after.
 */
export async function withPath<T>(path: KernelPath, fn: () => Promise<T>): Promise<T> {
  const before = { kernels: process.env.STOCKCAST_KERNELS, isa: process.env.STOCKCAST_NATIVE_ISA };
  process.env.STOCKCAST_KERNELS = path.kernels;
  if (path.isa) process.env.STOCKCAST_NATIVE_ISA = path.isa;
  else delete process.env.STOCKCAST_NATIVE_ISA;
  try {
    return await fn();
  } finally {
    for (const [key, value] of [
      ['STOCKCAST_KERNELS', before.kernels],
      ['STOCKCAST_NATIVE_ISA', before.isa],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
