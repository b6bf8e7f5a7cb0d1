/**
 * TensorFlow.js backend selection: tfjs-node-gpu, tfjs-node, tfjs's wasm backend, or pure JS; detected at run time.
 * `@tensorflow/tfjs` and `@tensorflow/tfjs-backend-wasm` are optional peers: loaded here, on first use of the tfjs
 * engine, never by the default (fused) engine.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Tf from '@tensorflow/tfjs';
import { BackendError } from '../../errors.js';
import { installed, loadTfjs } from './optional-peers.js';

/** Backend names: `tensorflow` is native TensorFlow through tfjs-node or tfjs-node-gpu. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** What {@link setBackend} accepts: a backend, or `auto` for the fastest available. */
export type BackendChoice = 'auto' | BackendName;

/** The active backend. */
export interface BackendInfo {
  /** The tfjs backend name. */
  name: BackendName;
  /** The native package that provides `tensorflow`, when used. */
  native?: string;
}

/** Loads an optional package by name; injectable so the selection logic can be tested without the native packages. */
export type PackageLoader = (name: string) => Promise<unknown>;

const requireHere = createRequire(import.meta.url);
const defaultLoader: PackageLoader = (name) => import(name);
let active: BackendInfo | undefined;

async function activate(tf: typeof Tf, name: BackendName): Promise<boolean> {
  if (name === 'wasm') {
    if (!installed('@tensorflow/tfjs-backend-wasm')) return false;
    const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
    // Load the .wasm binaries from the installed package, never from a CDN.
    setWasmPaths(`${join(dirname(requireHere.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`);
  }
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

/**
 * Selects the TensorFlow.js backend. `auto` tries `@tensorflow/tfjs-node-gpu`, then `@tensorflow/tfjs-node`
 * (optional peer dependencies), then the embedded `wasm` backend, then pure-JS `cpu`.
 *
 * @param choice - `auto`, `tensorflow`, `wasm` or `cpu`
 * @param options - `loader` replaces the dynamic `import()` of the native packages (for tests)
 * @returns the backend now active, and the native package used, if any
 * @throws {@link BackendError} when `@tensorflow/tfjs` (an optional peer) is not installed, or the requested
 * backend cannot be loaded (with how to install it)
 * @example
 * ```ts
 * import { setBackend } from 'stockcast';
 * const { name } = await setBackend('auto'); // 'wasm' where tfjs-node is not installed
 * ```
 */
export async function setBackend(
  choice: BackendChoice = 'auto',
  options: { loader?: PackageLoader } = {},
): Promise<BackendInfo> {
  const tf = await loadTfjs();
  const loader = options.loader ?? defaultLoader;
  const tryNative = async (): Promise<string | undefined> => {
    for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
      try {
        await loader(pkg);
      } catch {
        continue;
      }
      if (await activate(tf, 'tensorflow')) return pkg;
    }
    return undefined;
  };
  if (choice === 'tensorflow' || choice === 'auto') {
    const native = await tryNative();
    if (native) return (active = { name: 'tensorflow', native });
    if (choice === 'tensorflow') {
      throw new BackendError('neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node could be loaded', {
        hint: 'npm install @tensorflow/tfjs-node (CPU) or @tensorflow/tfjs-node-gpu (CUDA 11.2 + cuDNN 8.1); see docs/models.md',
      });
    }
  }
  for (const name of choice === 'auto' ? (['wasm', 'cpu'] as const) : [choice]) {
    if (await activate(tf, name)) return (active = { name });
  }
  if (choice === 'wasm' && !installed('@tensorflow/tfjs-backend-wasm')) {
    throw new BackendError('the wasm backend needs @tensorflow/tfjs-backend-wasm, which is not installed', {
      hint: 'npm install @tensorflow/tfjs-backend-wasm (an optional peer of stockcast)',
    });
  }
  throw new BackendError(`the ${choice} backend could not be initialized`);
}

/**
 * The active backend, selecting `auto` on first use.
 * @returns the backend name and native package, if any
 * @example
 * ```ts
 * import { getBackend } from 'stockcast';
 * console.log((await getBackend()).name);
 * ```
 */
export async function getBackend(): Promise<BackendInfo> {
  const tf = await loadTfjs();
  if (!active || tf.getBackend() !== active.name) return setBackend(active?.name ?? 'auto');
  return active;
}
