/**
 * Where models get their engine: the factory the entry installed (Node's picks between TensorFlow.js and the
 * fused engine, see engines.ts), else the fused engine alone, which is all a browser build carries.
 */
import { BackendError } from '../../errors.js';
import { platform } from '../../platform/platform.js';
import type { RecurrentEngine, TrainConfig } from './engine.js';
import { FusedEngine } from './fused/fused-engine.js';
import type { RecurrentSpec, RecurrentWeights } from './weights.js';

/** Creates an engine for a choice of `auto`, `tfjs` or `fused`. @internal */
export type EngineFactory = (choice: 'auto' | 'tfjs' | 'fused', spec: RecurrentSpec, weights: RecurrentWeights, config: TrainConfig) => Promise<RecurrentEngine>;

/** The fused engine on this environment's kernels (a browser fetches and compiles them on first use). */
const fusedOnly: EngineFactory = async (choice, spec, weights, config) => {
  if (choice === 'tfjs') throw new BackendError(`the tfjs engine is not part of the ${platform().name} build`, { hint: "use engine: 'fused' (or 'auto'), the WebAssembly engine" });
  await platform().prepare();
  return new FusedEngine(spec, weights, config);
};

let factory: EngineFactory = fusedOnly;

/** Installs the entry's engine factory. @internal */
export function setEngineFactory(f: EngineFactory): void {
  factory = f;
}

/**
 * Creates an engine with the given weights, through the installed factory.
 * @throws {@link BackendError} when the engine asked for cannot run here
 * @internal
 */
export function createEngine(choice: 'auto' | 'tfjs' | 'fused', spec: RecurrentSpec, weights: RecurrentWeights, config: TrainConfig): Promise<RecurrentEngine> {
  return factory(choice, spec, weights, config);
}
