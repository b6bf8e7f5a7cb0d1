/**
 * The one runtime seam: what an environment gives the shared code (the platform, how engines are made, where model
 * folders are kept, where backtest folds may run), installed once by each entry: src/node-runtime.ts for Node.js
 * (the index, the CLI, worker threads), src/browser-runtime.ts for browsers. Each part other than the platform is
 * declared beside the code that reads it (TypeScript declaration merging on {@link Runtime}), so this module
 * depends on none of them and a reader follows, say, `runtime().createEngine` from engine-factory.ts to the entry
 * that installed it.
 */
import { BackendError } from '../errors.js';
import type { Platform } from './platform.js';

/** What an environment provides; parts besides `platform` are added by the modules that read them. @internal */
export interface Runtime {
  /** Cores, kernels, helper threads, files: one module per environment (platform/node.ts, platform/browser.ts). */
  platform: Platform;
}

let installed: Runtime | undefined;

/**
 * Installs the environment's runtime (once per realm: the entry module does it on load).
 * @internal
 */
export function installRuntime(r: Runtime): void {
  installed = r;
}

/**
 * The installed runtime.
 * @throws {@link BackendError} when no entry installed one (a module imported past the package's entries)
 * @internal
 */
export function runtime(): Runtime {
  if (!installed)
    throw new BackendError(
      'no environment installed: import stockcast through its entry (`stockcast`, which picks the Node.js or the browser build)',
    );
  return installed;
}

/**
 * The installed environment: the runtime's platform.
 * @throws {@link BackendError} when no entry installed a runtime
 * @internal
 */
export function platform(): Platform {
  return runtime().platform;
}
