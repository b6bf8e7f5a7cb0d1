/**
 * Finds the fused engine's kernels: the native addon (Linux x86-64 with AVX2+FMA or AVX-512, prebuilt in
 * prebuilds/) or WebAssembly SIMD (wasm/kernels.wasm, every platform), both built from csrc/, and says which
 * one runs and why. `STOCKCAST_KERNELS=wasm|native` forces one; `STOCKCAST_NATIVE_ISA=avx2|avx512|emu16` picks
 * the native build (emu16: the 16-lane code on AVX2, for tests).
 */
import type { WasmModule } from '../../../platform/platform.js';
import { platform } from '../../../platform/runtime.js';

/** The exported kernels; pointer arguments are byte offsets into the engine's memory. */
export interface Kernels {
  model_pack(desc: number): void;
  model_forward(desc: number, r0: number, r1: number): void;
  model_backward(desc: number, r0: number, r1: number): void;
  model_tile_count(desc: number): number;
  model_grads(desc: number, t0: number, t1: number, counter: number, scratch: number): void;
  opt_adam(
    p: number,
    g: number,
    m: number,
    v: number,
    n: number,
    lr: number,
    b1: number,
    b2: number,
    eps: number,
    bc1: number,
    bc2: number,
    gscale: number,
  ): void;
  opt_rmsprop(p: number, g: number, ms: number, n: number, lr: number, rho: number, eps: number, gscale: number): void;
  opt_sgd(p: number, g: number, n: number, lr: number, gscale: number): void;
  sumsq(x: number, n: number): number;
  packed_floats(K: number, N: number): number;
  scratch_floats(unused: number): number;
  /** 0: MR, 1: NR, 2: vector lanes, 3: descriptor words before the layers, 4: words per layer. */
  tile_shape(which: number): number;
  tanh_inplace(x: number, n: number): void;
  sigmoid_inplace(x: number, n: number): void;
  exp_inplace(x: number, n: number): void;
  gemm(
    M: number,
    N: number,
    K: number,
    a: number,
    rsa: number,
    csa: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    beta: number,
    scratch: number,
  ): void;
}

/** Which kernels run, and why. */
export interface KernelInfo {
  /** `native` (the Node-API addon) or `wasm` (WebAssembly SIMD). */
  kind: 'native' | 'wasm';
  /** The instruction set: `avx512`, `avx2` (or `emu16`, tests only) for native, `simd128` for wasm. */
  isa: string;
  /** One sentence on why these kernels were chosen. */
  reason: string;
}

/** The native addon's module functions. @internal */
export interface NativeAddon {
  create(bytes: number): number;
  attach(region: number, isa: string, own: boolean): Kernels & { buffer: ArrayBuffer; isa: string; release(): void };
  cpu(): { avx2: boolean; fma: boolean; avx512f: boolean; best: string | null };
  stats(): { regions: number; reservedBytes: number };
}

// Node's type definitions lack most of the WebAssembly API; these are the parts used here.
/** @internal */
export interface WasmMemory {
  buffer: SharedArrayBuffer;
  grow(pages: number): number;
}
export type { WasmModule };
/** @internal */
export const WA = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (bytes: Uint8Array) => WasmModule;
      Instance: new (m: WasmModule, imports: object) => { exports: unknown };
      Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
    };
  }
).WebAssembly;

let nativeError = '';

/** The compiled WebAssembly kernels, or null when wasm/kernels.wasm is missing or invalid. @internal */
export function wasmKernelModule(): WasmModule | null {
  const m = platform().wasmKernels();
  return m instanceof Error ? null : m;
}

/** The native addon and the instruction set it runs here, or null with the reason in nativeError. @internal */
export function nativeKernels(): { addon: NativeAddon; isa: string } | null {
  const addon = platform().nativeAddon();
  if (addon instanceof Error) {
    nativeError = addon.message;
    return null;
  }
  const loaded = { addon: addon as NativeAddon, best: (addon as NativeAddon).cpu().best };
  if (!loaded.best) {
    nativeError = 'this CPU (or OS) lacks AVX2 with FMA, which the native kernels need';
    return null;
  }
  // Read on every call, so tests (and users) can switch builds between engines.
  const wanted = platform().setting('STOCKCAST_NATIVE_ISA');
  if (!wanted) return { addon: loaded.addon, isa: loaded.best };
  if (wanted === 'avx2' || wanted === 'emu16' || wanted === loaded.best) return { addon: loaded.addon, isa: wanted };
  nativeError = `STOCKCAST_NATIVE_ISA=${wanted} is not supported here (this CPU runs ${loaded.best}; avx2 and emu16 always work)`;
  return null;
}

/**
 * The kernels the fused engine uses here: native where the addon loads and the CPU has AVX2+FMA, else wasm.
 * @param choice - `auto`, or force `native` / `wasm` (default: the STOCKCAST_KERNELS variable, else auto)
 * @returns which kernels and why, or null when neither is available (then `kernelProblem` says why)
 * @internal
 */
export function selectKernels(choice: 'auto' | 'native' | 'wasm' = kernelPreference()): KernelInfo | null {
  if (choice !== 'wasm') {
    const n = nativeKernels();
    if (n) {
      const isa = n.isa === 'avx512' ? 'AVX-512' : n.isa === 'emu16' ? '16-lane AVX2 (test build)' : 'AVX2+FMA';
      return { kind: 'native', isa: n.isa, reason: `native kernels for Linux x86-64 with ${isa}` };
    }
    if (choice === 'native') return null;
  }
  if (wasmKernelModule()) {
    const reason =
      choice === 'wasm'
        ? 'WebAssembly kernels (chosen: STOCKCAST_KERNELS=wasm or kernels: wasm)'
        : `WebAssembly SIMD kernels: ${nativeError}`;
    return { kind: 'wasm', isa: 'simd128', reason };
  }
  return null;
}

/** Why `selectKernels(choice)` found nothing. @internal */
export function kernelProblem(choice: 'auto' | 'native' | 'wasm' = kernelPreference()): string {
  if (choice === 'native') return nativeError || 'the native kernels are unavailable';
  const wasm = platform().wasmKernels();
  return [choice === 'auto' ? nativeError : '', wasm instanceof Error ? wasm.message : ''].filter(Boolean).join('; ');
}

/** The kernel choice from STOCKCAST_KERNELS (auto when unset or unknown). @internal */
export function kernelPreference(): 'auto' | 'native' | 'wasm' {
  const v = platform().setting('STOCKCAST_KERNELS');
  return v === 'native' || v === 'wasm' ? v : 'auto';
}

/** Whether the fused engine can run here (either kernel kind). */
export function fusedAvailable(): boolean {
  return selectKernels() !== null;
}
