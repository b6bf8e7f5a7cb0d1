/**
 * One fused engine's memory: a shared WebAssembly memory or a native region, the kernels bound to it, and a bump
 * allocator. The engine's worker threads attach to the same memory, so activations, weights and gradients are
 * never copied between threads. Memory is capped (4 GiB, or the machine's RAM if less) and every allocation is
 * checked against the cap first, so an oversized model fails with a typed error before it trains.
 */
import { BackendError } from '../../../errors.js';
import { platform } from '../../../platform/runtime.js';
import {
  nativeKernels,
  WA,
  wasmKernelModule,
  type KernelInfo,
  type Kernels,
  type WasmMemory,
  type WasmModule,
} from './kernels.js';

const PAGE = 65536;
const WASM_MAX_PAGES = 65536;
/** Bytes of each worker instance's WebAssembly stack. */
export const STACK_BYTES = 65536;
/** Every buffer starts on a cache line. */
const ALIGN = 64;

/** What a worker needs to attach to an engine's memory. @internal */
export type MemoryHandle =
  | { kind: 'wasm'; module: WasmModule; memory: WasmMemory }
  | { kind: 'native'; region: number; isa: string };

/** The largest engine memory: 4 GiB (32-bit offsets, like WebAssembly), or the machine's RAM when smaller. @internal */
export function memoryLimit(): number {
  return Math.min(2 ** 32 - PAGE, platform().memoryLimit());
}

let liveMemories = 0;
let liveBytes = 0;

/** Engines' memories not yet released in this thread, and their bytes in use (tests check dispose releases them). @internal */
export function engineMemoryStats(): { memories: number; bytes: number } {
  return { memories: liveMemories, bytes: liveBytes };
}

/** Formats bytes for messages. @internal */
export function formatBytes(n: number): string {
  return n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(2)} GiB` : `${(n / 2 ** 20).toFixed(1)} MiB`;
}

/** Kernels attached to an engine memory from one thread. @internal */
export interface Attached {
  kernels: Kernels;
  /** The memory as an ArrayBuffer; call again after the main thread allocates (WebAssembly memory grows). */
  buffer(): ArrayBufferLike;
  release(): void;
}

/** Attaches to an existing memory (worker threads); `stackTop` gives a WebAssembly instance its own stack. @internal */
export function attachMemory(handle: MemoryHandle, stackTop: number): Attached {
  if (handle.kind === 'wasm') {
    const instance = new WA.Instance(handle.module, { env: { memory: handle.memory } });
    const exports = instance.exports as Kernels & { __stack_pointer: { value: number } };
    if (stackTop) exports.__stack_pointer.value = stackTop;
    return { kernels: exports, buffer: () => handle.memory.buffer, release: () => undefined };
  }
  const n = nativeKernels();
  if (!n) throw new BackendError('the native kernels could not be loaded in a worker thread');
  const at = n.addon.attach(handle.region, handle.isa, false);
  return { kernels: at, buffer: () => at.buffer, release: () => at.release() };
}

/** The main thread's engine memory with its allocator. @internal */
export class EngineMemory {
  readonly kernels: Kernels;
  readonly handle: MemoryHandle;
  readonly limit: number;
  private readonly attached: Attached;
  private readonly wasm: WasmMemory | undefined;
  private readonly start: number;
  private top: number;
  private peak: number;
  private released = false;

  constructor(readonly info: KernelInfo) {
    this.limit = memoryLimit();
    if (info.kind === 'wasm') {
      const module = wasmKernelModule();
      if (!module) throw new BackendError('the WebAssembly kernels are unavailable');
      this.wasm = new WA.Memory({ initial: 17, maximum: WASM_MAX_PAGES, shared: true });
      this.handle = { kind: 'wasm', module, memory: this.wasm };
      const instance = new WA.Instance(module, { env: { memory: this.wasm } });
      const exports = instance.exports as Kernels & { __heap_base: { value: number } };
      this.attached = { kernels: exports, buffer: () => this.wasm!.buffer, release: () => undefined };
      this.start = exports.__heap_base.value;
    } else {
      const n = nativeKernels();
      if (!n) throw new BackendError('the native kernels are unavailable');
      const region = n.addon.create(this.limit);
      const at = n.addon.attach(region, n.isa, true);
      this.handle = { kind: 'native', region, isa: n.isa };
      this.attached = { kernels: at, buffer: () => at.buffer, release: () => at.release() };
      this.start = ALIGN;
    }
    this.kernels = this.attached.kernels;
    this.start = (this.start + ALIGN - 1) & ~(ALIGN - 1);
    this.top = this.start;
    this.peak = this.start;
    liveMemories++;
    liveBytes += this.peak;
  }

  /** Bytes an allocation of `floats` takes (aligned). */
  static size(floats: number): number {
    return Math.ceil((floats * 4) / ALIGN) * ALIGN;
  }

  /** Reserves `floats` 4-byte values, zeroed; returns the byte offset. */
  alloc(floats: number): number {
    const ptr = this.top;
    const end = ptr + EngineMemory.size(floats);
    this.ensure(end);
    this.top = end;
    if (end > this.peak) {
      liveBytes += end - this.peak;
      this.peak = end;
    }
    new Uint8Array(this.buffer(), ptr, end - ptr).fill(0);
    return ptr;
  }

  /** Makes sure bytes [0, end) exist; typed error at the cap or when the system refuses more memory. */
  private ensure(end: number): void {
    if (end > this.limit)
      throw new BackendError(
        `the fused engine needs ${formatBytes(end)} of memory, more than its limit of ${formatBytes(this.limit)}`,
        { hint: 'use a smaller batchSize, lookback or units, or engine: "tfjs"' },
      );
    if (!this.wasm) return;
    const have = this.wasm.buffer.byteLength;
    if (end <= have) return;
    try {
      this.wasm.grow(Math.ceil((end - have) / PAGE));
    } catch (e) {
      throw new BackendError(
        `the fused engine's WebAssembly memory could not grow to ${formatBytes(end)} (limit ${formatBytes(this.limit)}): ${(e as Error).message}`,
        { hint: 'use a smaller batchSize, lookback or units', cause: e },
      );
    }
  }

  /** Bytes in use. */
  get used(): number {
    return this.top;
  }

  /** The most bytes ever in use (the engine's peak memory). */
  get peakBytes(): number {
    return this.peak;
  }

  /** Releases everything allocated after `mark` (scratch space for another batch shape). */
  reset(mark: number): void {
    this.top = mark;
  }

  /** The memory as an ArrayBuffer; views must be recreated after any allocation. */
  buffer(): ArrayBufferLike {
    return this.attached.buffer();
  }

  /** A Float32Array view of `floats` values at byte offset `ptr`. */
  f32(ptr: number, floats: number): Float32Array {
    return new Float32Array(this.buffer(), ptr, floats);
  }

  /** Releases the memory (worker attachments keep a native region alive until they detach too). */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.attached.release();
    liveMemories--;
    liveBytes -= this.peak;
  }
}
