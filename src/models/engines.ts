/** Engine selection: the TensorFlow.js graph or the fused CPU engine, behind one interface. */
import { BackendError } from '../errors.js';
import { getBackend } from './backend.js';
import type { RecurrentEngine, TrainConfig } from './engine.js';
import { FusedEngine } from './fused/fused-engine.js';
import { fusedAvailable } from './fused/kernels.js';
import { TfjsEngine } from './tfjs-engine.js';
import type { RecurrentSpec, RecurrentWeights } from './weights.js';

/** Which engine trains and runs a model: `auto` picks the fastest available on this machine. */
export type EngineChoice = 'auto' | 'tfjs' | 'fused';

/**
 * The engine `auto` resolves to: tfjs on native TensorFlow (tfjs-node, tfjs-node-gpu), else the fused
 * WebAssembly engine when it is built, else tfjs on wasm or cpu.
 * @returns the engine kind
 * @example
 * ```ts
 * import { resolveEngine } from 'stockcast';
 * console.log(await resolveEngine('auto')); // 'fused' on a machine without tfjs-node
 * ```
 */
export async function resolveEngine(choice: EngineChoice): Promise<'tfjs' | 'fused'> {
  if (choice === 'fused') {
    if (!fusedAvailable()) throw new BackendError('the fused engine is not built: wasm/kernels.wasm is missing', { hint: 'install clang and lld, then npm run build:wasm' });
    return 'fused';
  }
  if (choice === 'tfjs') return 'tfjs';
  const backend = await getBackend();
  return backend.name !== 'tensorflow' && fusedAvailable() ? 'fused' : 'tfjs';
}

/**
 * Creates an engine with the given weights.
 * @internal
 */
export async function createEngine(choice: EngineChoice, spec: RecurrentSpec, weights: RecurrentWeights, config: TrainConfig): Promise<RecurrentEngine> {
  if ((await resolveEngine(choice)) === 'fused') return new FusedEngine(spec, weights, config);
  await getBackend();
  return new TfjsEngine(spec, weights, config);
}
