/** Engine selection: the TensorFlow.js graph or the fused CPU engine (native or WebAssembly kernels), behind one interface. */
import { BackendError } from '../../errors.js';
import { getBackend } from './backend.js';
import { installed } from './optional-peers.js';
import type { RecurrentEngine, TrainConfig } from './engine.js';
import { FusedEngine } from './fused/fused-engine.js';
import { fusedAvailable, kernelProblem, selectKernels, type KernelInfo } from './fused/kernels.js';
import type { RecurrentSpec, RecurrentWeights } from './weights.js';

/** Which engine trains and runs a model: `auto` picks the fastest available on this machine. */
export type EngineChoice = 'auto' | 'tfjs' | 'fused';

/**
 * The engine `auto` resolves to: tfjs on native TensorFlow (tfjs-node, tfjs-node-gpu), else the fused engine
 * (native kernels on Linux x86-64 with AVX2, WebAssembly kernels elsewhere), else tfjs on wasm or cpu.
 * `@tensorflow/tfjs` is an optional peer, loaded only when the result is `tfjs`.
 * @param choice - `auto`, `tfjs` or `fused`
 * @returns the engine kind
 * @throws {@link BackendError} when `fused` is asked for and neither kernel build can load, or when `auto` finds
 * neither the fused engine nor `@tensorflow/tfjs`
 * @example
 * ```ts
 * import { resolveEngine } from 'stockcast';
 * console.log(await resolveEngine('auto')); // 'fused' on a machine without tfjs-node
 * ```
 */
export async function resolveEngine(choice: EngineChoice): Promise<'tfjs' | 'fused'> {
  if (choice === 'fused') {
    if (!fusedAvailable()) throw new BackendError(`the fused engine cannot run here: ${kernelProblem()}`, { hint: 'npm run build:wasm rebuilds wasm/kernels.wasm' });
    return 'fused';
  }
  if (choice === 'tfjs') return 'tfjs';
  // tfjs is loaded only when native TensorFlow is installed (it then wins) or when the fused engine cannot run.
  const native = installed('@tensorflow/tfjs-node-gpu') || installed('@tensorflow/tfjs-node');
  if (fusedAvailable() && (!native || (await getBackend()).name !== 'tensorflow')) return 'fused';
  if (!fusedAvailable() && !installed('@tensorflow/tfjs')) {
    throw new BackendError(`no engine can run here: the fused engine cannot (${kernelProblem()}) and @tensorflow/tfjs is not installed`, { hint: 'npm install @tensorflow/tfjs, or rebuild the kernels with npm run build:wasm' });
  }
  return 'tfjs';
}

/**
 * Which kernels the fused engine runs here and why (`native` with AVX-512 or AVX2, or `wasm`), or null when
 * neither can load. `STOCKCAST_KERNELS=wasm` forces the WebAssembly kernels.
 * @returns the kernels and the reason, or null
 * @example
 * ```ts
 * import { fusedKernels } from 'stockcast';
 * console.log(fusedKernels()?.reason); // for example: native kernels for Linux x86-64 with AVX2+FMA
 * ```
 */
export function fusedKernels(): KernelInfo | null {
  return selectKernels();
}

/**
 * Creates an engine with the given weights.
 * @internal
 */
export async function createEngine(choice: EngineChoice, spec: RecurrentSpec, weights: RecurrentWeights, config: TrainConfig): Promise<RecurrentEngine> {
  if ((await resolveEngine(choice)) === 'fused') return new FusedEngine(spec, weights, config);
  await getBackend();
  // Loaded on demand: the tfjs engine and @tensorflow/tfjs stay out of the default path.
  const { TfjsEngine } = await import('./tfjs-engine.js');
  return new TfjsEngine(spec, weights, config);
}
