/**
 * The browser environment: cores from `navigator`, the WebAssembly kernels fetched next to the package
 * (`new URL(..., import.meta.url)`, which bundlers rewrite), helper threads as module Web Workers when the page is
 * cross-origin isolated, and no blocking waits on the page's main thread.
 */
import { BackendError, DataError, PersistenceError } from '../errors.js';
import type { HelperThread, Platform, WasmModule, AssetUrls } from './platform.js';

interface WebWorker {
  postMessage(message: unknown): void;
  addEventListener(
    type: 'message' | 'error' | 'messageerror',
    listener: (event: { data?: unknown; message?: string }) => void,
  ): void;
  terminate(): void;
}
// The global Worker of browsers (Node's type definitions have none); called by name so that bundlers recognize the pattern.
declare const Worker: new (url: URL | string, options: { type: 'module'; name?: string }) => WebWorker;

interface BrowserGlobals {
  navigator?: { hardwareConcurrency?: number; gpu?: unknown };
  document?: unknown;
  crossOriginIsolated?: boolean;
  SharedArrayBuffer?: unknown;
  fetch: (
    url: URL | string,
  ) => Promise<{ ok: boolean; status: number; statusText: string; arrayBuffer(): Promise<ArrayBuffer> }>;
  WebAssembly: { compile(bytes: ArrayBuffer): Promise<WasmModule> };
}
const g = globalThis as unknown as BrowserGlobals;

const assets: AssetUrls = {};
let wasm: WasmModule | Error | undefined;
let loading: Promise<void> | undefined;

/** Sets where the kernels and the helper-thread script are (for bundlers that copy files but do not rewrite `new URL(..., import.meta.url)`). */
function configureAssets(a: AssetUrls): void {
  if (a.kernels !== undefined && a.kernels !== assets.kernels) {
    wasm = undefined;
    loading = undefined;
  }
  Object.assign(assets, a);
}

function kernelsUrl(): URL | string {
  return assets.kernels ?? new URL('../../wasm/kernels.wasm', import.meta.url);
}

function startWebWorker(): WebWorker {
  // Written out in full so that bundlers (Vite, webpack, Parcel) find the worker and bundle it.
  if (assets.worker === undefined)
    return new Worker(new URL('../models/engines/fused/gradient-web-worker.js', import.meta.url), {
      type: 'module',
      name: 'stockcast-helper',
    });
  return new Worker(assets.worker, { type: 'module', name: 'stockcast-helper' });
}

function startHelper(init: Record<string, unknown>): HelperThread {
  const worker = startWebWorker();
  const queued: unknown[] = [];
  const listeners: Array<() => void> = [];
  const failures: Array<(e: Error) => void> = [];
  worker.addEventListener('message', (event) => {
    queued.push(event.data);
    if (queued.length === 1) for (const l of listeners) l();
  });
  const fail = (e: Error) => failures.forEach((l) => l(e));
  worker.addEventListener('error', (event) =>
    fail(new Error(event.message || 'the helper thread script failed to load')),
  );
  worker.addEventListener('messageerror', () => fail(new Error('a message could not be read')));
  worker.postMessage(init);
  return {
    onReady: (listener) => listeners.push(listener),
    onFailure: (listener) => failures.push(listener),
    // Failure reports are the messages after the first ('ready').
    takeMessage: () => (queued.length > 1 ? queued[queued.length - 1] : undefined),
    unref: () => undefined,
    terminate: () => worker.terminate(),
  };
}

/** The browser environment. @internal */
export const browserPlatform: Platform = {
  name: 'browser',
  configureAssets,
  cores: () => Math.max(1, g.navigator?.hardwareConcurrency ?? 1),
  isMainThread: () => g.document !== undefined,
  // WebAssembly's 32-bit memories stop at 4 GiB; the browser refuses growth earlier when it must.
  memoryLimit: () => 2 ** 32 - 65536,
  setting: () => undefined,
  wasmKernels: () =>
    wasm ?? new Error('the WebAssembly kernels are not loaded yet (they load when the first model is created)'),
  nativeAddon: () => new Error('native kernels need Node.js; a browser runs the WebAssembly kernels'),
  gpu: async () =>
    g.navigator?.gpu ??
    new Error(
      'this browser has no WebGPU (navigator.gpu is missing: an older browser, WebGPU disabled, ' +
        'or a page that is not a secure context)',
    ),
  prepare() {
    if (wasm !== undefined && !(wasm instanceof Error)) return Promise.resolve();
    loading ??= (async () => {
      const url = kernelsUrl();
      try {
        const response = await g.fetch(url);
        if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
        wasm = await g.WebAssembly.compile(await response.arrayBuffer());
      } catch (e) {
        loading = undefined;
        const failure = new Error(
          `the WebAssembly kernels could not be loaded from ${String(url)} (${(e as Error).message})`,
        );
        wasm = failure;
        throw new BackendError(failure.message, {
          cause: e,
          hint: 'serve node_modules/stockcast/wasm/kernels.wasm and pass its URL to useAssets({ kernelsUrl }) when your bundler does not copy it',
        });
      }
    })();
    return loading;
  },
  threadsUnavailable: () =>
    g.crossOriginIsolated === true && typeof g.SharedArrayBuffer === 'function'
      ? undefined
      : 'the page is not cross-origin isolated (serve it with COOP: same-origin and COEP: require-corp), so SharedArrayBuffer is unavailable',
  startHelper,
  canBlock: () => g.document === undefined,
  nextTurn: () => new Promise((resolve) => setTimeout(resolve, 0)),
  textFileStream: noFiles,
  fileByteStream: noFiles,
  readTextFile: noFiles,
  writeTextFile: async (path) => {
    throw new PersistenceError(path, 'a browser has no files to write', {
      hint: 'renderReport(content) gives the HTML as a string: show it, or offer it as a download',
    });
  },
};

function noFiles(path: string): never {
  throw new DataError(
    'expected a File, Blob, ReadableStream or text: a browser has no file paths',
    { file: path },
    { hint: 'readCsv(file) takes the File of an <input type="file"> or a drop; parseCsv(text) takes text' },
  );
}
