/**
 * The environment: what stockcast needs from Node.js or from a browser (cores, the WebAssembly kernels, the
 * native addon, helper threads, waiting), provided by one module per environment and carried by the runtime the
 * loaded entry installs (src/node-runtime.ts or src/browser-runtime.ts), so no shared module reaches a Node built-in.
 */

/** A compiled WebAssembly module (opaque here: Node's type definitions lack most of the WebAssembly API). @internal */
export type WasmModule = object;

/** A helper thread as the fused engine sees it, whichever kind runs it (worker_threads or a Web Worker). @internal */
export interface HelperThread {
  /** Called once, when the thread's first message says it is ready. */
  onReady(listener: () => void): void;
  /** Called when the thread fails to load, throws outside the message path, or exits. */
  onFailure(listener: (error: Error) => void): void;
  /** The failure report the thread sent after saying ready, if one has arrived (Node reads it at once, without a turn of the event loop). */
  takeMessage(): unknown;
  /** Lets the process exit while the thread idles (Node); nothing in a browser. */
  unref(): void;
  /** Stops the thread. */
  terminate(): void;
}

/** A file's text as a stream papaparse can read (a Node.js Readable). @internal */
export interface TextFileStream {
  on(event: 'error', listener: (err: Error) => void): unknown;
  destroy(): void;
}

/** Where the kernels and the helper-thread script are, when a bundler did not rewrite the package's own URLs. @internal */
export interface AssetUrls {
  /** URL of `wasm/kernels.wasm` (default: next to the package, `new URL('../../wasm/kernels.wasm', import.meta.url)`). */
  kernels?: string;
  /** URL of a bundled helper-thread script (default: the package's own, `new URL('../models/engines/fused/gradient-web-worker.js', import.meta.url)`). */
  worker?: string;
}

/** What one environment provides. @internal */
export interface Platform {
  /** `node` or `browser`. */
  readonly name: 'node' | 'browser';
  /** Browsers: where the kernels and the helper-thread script are served (`useAssets`); Node has no such setting. */
  configureAssets?(assets: AssetUrls): void;
  /** Logical cores for `threads: 'auto'` and `concurrency: 'auto'`. */
  cores(): number;
  /** Whether this is the main thread (a worker's own training gets one thread under `auto`). */
  isMainThread(): boolean;
  /** The largest engine memory in bytes. */
  memoryLimit(): number;
  /** An environment setting (`STOCKCAST_KERNELS`, ...): process.env in Node, none in a browser. */
  setting(name: string): string | undefined;
  /** The compiled WebAssembly kernels, or the reason they cannot load. Synchronous: a browser compiles them first ({@link Platform.prepare}). */
  wasmKernels(): WasmModule | Error;
  /** The native kernels addon, or the reason it cannot load (always a reason in a browser). */
  nativeAddon(): unknown;
  /**
   * The WebGPU entry point (`navigator.gpu` in a browser, npm `webgpu`'s in Node, loaded on first use), or the
   * reason there is none. Only the webgpu engine asks.
   */
  gpu(): Promise<unknown>;
  /** Does the asynchronous set-up the synchronous calls need (a browser fetches and compiles the kernels). */
  prepare(): Promise<void>;
  /** Why helper threads cannot run here (a page that is not cross-origin isolated), or undefined when they can. */
  threadsUnavailable(): string | undefined;
  /** Starts a fused-engine helper thread with its start-up data (shared memory, module, control words). */
  startHelper(init: Record<string, unknown>): HelperThread;
  /** Whether this thread may block in Atomics.wait (never a browser's main thread). */
  canBlock(): boolean;
  /** Yields one turn of the event loop (where worker events arrive). */
  nextTurn(): Promise<void>;
  /** Streams a text file in 1 MiB chunks. @throws {@link DataError} where there are no file paths (a browser) */
  textFileStream(path: string): TextFileStream;
  /**
   * Streams a file's bytes in chunks of a few MiB (the CSV fast path), with the file's size where it is known (the
   * reader sizes its columns from it). A chunk may be overwritten by the next: copy what must outlive it.
   * @throws {@link DataError} where there are no file paths
   */
  fileByteStream(path: string): AsyncIterable<Uint8Array> & { destroy(): void; readonly expectedBytes?: number };
  /** A text file's whole content (error paths re-read it for line numbers). */
  readTextFile(path: string): string;
  /** Writes a text file atomically (a temporary name, then a rename). @throws {@link PersistenceError} where there are no files (a browser) */
  writeTextFile(path: string, text: string): Promise<void>;
}
