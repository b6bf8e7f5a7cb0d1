/** Loads the fused engine's WebAssembly kernels (built from csrc/kernels.c) and manages one linear memory per engine. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Node's type definitions lack most of the WebAssembly API; these are the parts used here.
interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}
/** A compiled kernel module. */
export type WasmModule = object;
const WA = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => WasmModule; Instance: new (m: WasmModule, imports: object) => { exports: unknown } } }).WebAssembly;

/** The exported kernels; pointers are byte offsets into the instance's memory. */
export interface KernelExports {
  memory: WasmMemory;
  __heap_base: { value: number };
  gemm_ab(M: number, N: number, K: number, A: number, sai: number, sak: number, B: number, C: number, accumulate: number): void;
  gemm_abt(M: number, N: number, K: number, A: number, B: number, C: number, accumulate: number): void;
  add_bias(C: number, bias: number, M: number, N: number): void;
  colsum_acc(A: number, M: number, N: number, out: number): void;
  tanh_inplace(x: number, n: number): void;
  rnn_forward(pre: number, n: number): void;
  lstm_forward(gates: number, cPrev: number, c: number, tc: number, h: number, B: number, H: number): void;
  gru_forward(gi: number, gh: number, hPrev: number, h: number, B: number, H: number): void;
  rnn_backward(h: number, dh: number, dpre: number, n: number): void;
  lstm_backward(acts: number, tc: number, cPrev: number, dh: number, dc: number, dgates: number, B: number, H: number): void;
  gru_backward(acts: number, gh: number, hPrev: number, dh: number, dgi: number, dgh: number, dhPrev: number, B: number, H: number): void;
  sumsq(x: number, n: number): number;
  adam_step(p: number, g: number, m: number, v: number, n: number, lr: number, b1: number, b2: number, eps: number, bc1: number, bc2: number, gscale: number): void;
  rmsprop_step(p: number, g: number, ms: number, n: number, lr: number, rho: number, eps: number, gscale: number): void;
  sgd_step(p: number, g: number, n: number, lr: number, gscale: number): void;
}

// wasm/ sits at the package root; src/models/fused and dist/models/fused are both three levels below it.
const WASM_PATH = fileURLToPath(new URL('../../../wasm/kernels.wasm', import.meta.url));
let compiled: WasmModule | null | undefined;

/** The compiled module, or null when the .wasm has not been built (no clang at install time). */
export function kernelModule(): WasmModule | null {
  if (compiled === undefined) {
    try {
      compiled = new WA.Module(readFileSync(WASM_PATH));
    } catch {
      compiled = null;
    }
  }
  return compiled ?? null;
}

/** Whether the fused engine can run here. */
export function fusedAvailable(): boolean {
  return kernelModule() !== null;
}

/**
 * One kernel instance with its own memory and a bump allocator. Engines own one each, so disposing an engine
 * releases all of its memory at once.
 */
export class KernelArena {
  readonly k: KernelExports;
  private top: number;

  constructor(module: WasmModule) {
    this.k = new WA.Instance(module, {}).exports as unknown as KernelExports;
    this.top = (this.k.__heap_base.value + 15) & ~15;
  }

  /** Reserves `floats` float32 values (16-byte aligned, zeroed) and returns the byte offset. */
  alloc(floats: number): number {
    const ptr = this.top;
    this.top = (ptr + floats * 4 + 15) & ~15;
    const need = this.top - this.k.memory.buffer.byteLength;
    if (need > 0) this.k.memory.grow(Math.ceil(need / 65536));
    this.view(ptr, floats).fill(0);
    return ptr;
  }

  /** Bytes in use. */
  get used(): number {
    return this.top;
  }

  /** Releases everything allocated after `mark` (scratch space). */
  reset(mark: number): void {
    this.top = mark;
  }

  /** A Float32Array view; create it after any allocation, since growing memory detaches older views. */
  view(ptr: number, floats: number): Float32Array {
    return new Float32Array(this.k.memory.buffer, ptr, floats);
  }
}
