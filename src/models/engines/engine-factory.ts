/**
 * Where models get their engine: the factory the runtime carries (Node's picks between TensorFlow.js, the fused
 * engine and the webgpu engine: engines.ts, installed by src/node-runtime.ts), else the browser's: the fused
 * engine, or the webgpu engine on `navigator.gpu`.
 */
import { BackendError } from '../../errors.js';
import { platform } from '../../platform/runtime.js';
import { runtime } from '../../platform/runtime.js';
import type { RecurrentEngine, TrainConfig } from './engine.js';
import { FusedEngine } from './fused/fused-engine.js';
import { autoPicksWebGpu } from './webgpu/auto.js';
import { WebGpuEngine } from './webgpu/webgpu-engine.js';
import type { RecurrentSpec, RecurrentWeights } from './weights.js';

/** Which engine trains and runs a model: `auto` picks by a fixed rule (see resolveEngine). */
export type EngineChoice = 'auto' | 'tfjs' | 'fused' | 'webgpu';

/** Creates an engine for a choice of `auto`, `tfjs`, `fused` or `webgpu`. @internal */
export type EngineFactory = (
  choice: EngineChoice,
  spec: RecurrentSpec,
  weights: RecurrentWeights,
  config: TrainConfig,
) => Promise<RecurrentEngine>;

/** The fused engine on this environment's kernels (a browser fetches and compiles them on first use), or the webgpu engine. */
const fusedOnly: EngineFactory = async (choice, spec, weights, config) => {
  if (choice === 'tfjs')
    throw new BackendError(`the tfjs engine is not part of the ${platform().name} build`, {
      hint: "use engine: 'fused' (or 'auto'), the WebAssembly engine",
    });
  const gpu = choice === 'webgpu' || (choice === 'auto' && (await autoPicksWebGpu(spec, config.batchSize, true)));
  if (gpu) return WebGpuEngine.create(spec, weights, config);
  await platform().prepare();
  return new FusedEngine(spec, weights, config);
};

declare module '../../platform/runtime.js' {
  interface Runtime {
    /** How engines are made (Node.js: engines.ts); without it, the fused engine or webgpu alone. */
    createEngine?: EngineFactory;
  }
}

/**
 * Creates an engine with the given weights, through the runtime's factory.
 * @throws {@link BackendError} when the engine asked for cannot run here
 * @internal
 */
export function createEngine(
  choice: EngineChoice,
  spec: RecurrentSpec,
  weights: RecurrentWeights,
  config: TrainConfig,
): Promise<RecurrentEngine> {
  return (runtime().createEngine ?? fusedOnly)(choice, spec, weights, config);
}
