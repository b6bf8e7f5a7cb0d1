/** Browser set-up: where the kernels and the helper-thread script are served, and how many threads training can use on this page. */
import { z } from 'zod';
import { platform } from '../platform/runtime.js';
import { parseOptions } from '../validate.js';
import { vocabulary as v } from '../vocabulary.js';

/** Options of {@link useAssets}. */
export const BrowserAssetsSchema = z
  .object({
    /** URL of `wasm/kernels.wasm` as your site serves it. */
    kernelsUrl: v.kernelsUrl.optional(),
    /** URL of the helper-thread script, bundled from `stockcast/browser-worker`. */
    workerUrl: v.workerUrl.optional(),
  })
  .strict();

/** Options of {@link useAssets}. */
export type BrowserAssets = z.input<typeof BrowserAssetsSchema>;

/**
 * Tells the browser build where its two files are served, for bundlers that bundle the code but do not copy the
 * files that `new URL('…', import.meta.url)` names (esbuild). Vite, webpack 5 and Parcel copy them: no call needed.
 *
 * @param assets - `kernelsUrl` (the package's `wasm/kernels.wasm`) and `workerUrl` (a bundle of `stockcast/browser-worker`)
 * @throws {@link ValidationError} for anything but URLs
 * @example
 * ```ts
 * import { useAssets } from 'stockcast';
 * // esbuild app.js --bundle --outdir=out, then copy node_modules/stockcast/wasm/kernels.wasm to out/
 * useAssets({ kernelsUrl: new URL('./kernels.wasm', import.meta.url) });
 * ```
 */
export function useAssets(assets: BrowserAssets): void {
  const o = parseOptions(BrowserAssetsSchema, assets, 'browser assets');
  const href = (u: string | { readonly href: string }) => (typeof u === 'string' ? u : u.href);
  platform().configureAssets?.({
    ...(o.kernelsUrl ? { kernels: href(o.kernelsUrl) } : {}),
    ...(o.workerUrl ? { worker: href(o.workerUrl) } : {}),
  });
}

/** How many threads training can use here, and why only one when that is so. */
export interface ThreadSupport {
  /** Threads a training run gets with `threads: 'auto'`: the cores when the page is cross-origin isolated, else 1. */
  threads: number;
  /** Why training runs on one thread (the page is not cross-origin isolated), when it does. */
  reason?: string;
}

/**
 * Whether training can use Web Workers on this page: it needs `SharedArrayBuffer`, which browsers give only to
 * cross-origin isolated pages (served with `Cross-Origin-Opener-Policy: same-origin` and
 * `Cross-Origin-Embedder-Policy: require-corp`).
 *
 * @returns the threads available and, when one, why
 * @example
 * ```ts
 * import { browserThreads } from 'stockcast';
 * const { threads, reason } = browserThreads();
 * console.log(threads, reason ?? 'isolated: Web Workers train in parallel');
 * ```
 */
export function browserThreads(): ThreadSupport {
  const p = platform();
  const reason = p.threadsUnavailable();
  return reason ? { threads: 1, reason } : { threads: p.cores() };
}
