/** Builds a many-to-one model from a PyTorch `state_dict` (nn.RNN/LSTM/GRU + nn.Linear head `fc`) exported as JSON. */
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { parseOptions } from '../validate.js';
import { createEngine, type EngineChoice } from './engines.js';
import type { RecurrentEngine } from './engine.js';
import { weightsFromStateDict, type RecurrentSpec } from './weights.js';

/** Options of {@link importTorchRnn}: the PyTorch constructor's arguments. */
export const TorchImportOptionsSchema = z
  .object({
    /** `rnn` (nn.RNN, tanh), `lstm` or `gru`. */
    cell: z.enum(['rnn', 'lstm', 'gru']),
    /** `num_layers`. */
    layers: z.number().int().positive(),
    /** `input_size`. */
    inputSize: z.number().int().positive(),
    /** `hidden_size`. */
    units: z.number().int().positive(),
    /** Engine to run it on (default `auto`). */
    engine: z.enum(['auto', 'tfjs', 'fused']).default('auto'),
  })
  .strict();

/** Options of {@link importTorchRnn}, as accepted. */
export type TorchImportOptions = z.input<typeof TorchImportOptionsSchema>;

/** A PyTorch many-to-one model running in stockcast. */
export interface TorchRnnModel {
  /** The network's shape. */
  readonly spec: RecurrentSpec;
  /** The engine running it. */
  readonly engine: 'tfjs' | 'fused';
  /**
   * Raw outputs for a batch of windows, like `fc(rnn(x)[0][:, -1])` in PyTorch (no scaling).
   * @param x - [batch, time, inputSize]
   * @returns [batch, outputSize]
   */
  predictWindows(x: number[][][]): Promise<number[][]>;
  /** Frees the model's tensors. */
  dispose(): void;
}

function flatWindows(x: number[][][], F: number): Float32Array {
  const T = x[0]?.length ?? 0;
  const out = new Float32Array(x.length * T * F);
  x.forEach((window, b) => {
    if (window.length !== T) throw new ValidationError('windows', [{ path: `x[${b}]`, message: `expected ${T} time steps like x[0], received ${window.length}` }]);
    window.forEach((step, t) => {
      if (step.length !== F) throw new ValidationError('windows', [{ path: `x[${b}][${t}]`, message: `expected ${F} features (inputSize), received ${step.length}` }]);
      out.set(step, (b * T + t) * F);
    });
  });
  return out;
}

/**
 * Builds a many-to-one model from a PyTorch `state_dict` exported as JSON (`{k: v.tolist()}`): keys
 * `weight_ih_l{k}`, `weight_hh_l{k}`, `bias_ih_l{k}`, `bias_hh_l{k}` and the head's `fc.weight`, `fc.bias`.
 * Gate orders and biases follow PyTorch exactly (LSTM i,f,g,o; GRU r,z,n with the reset gate applied after
 * the recurrent product, which tfjs's own GRU layer cannot express).
 *
 * @param stateDict - the state_dict as nested arrays
 * @param options - the PyTorch constructor's arguments, see {@link TorchImportOptionsSchema}
 * @returns a model with `predictWindows`
 * @throws {@link ValidationError} naming a missing key or a mis-shaped weight
 * @example
 * ```ts
 * import { importTorchRnn } from 'stockcast';
 * import { readFileSync } from 'node:fs';
 * const { cases } = JSON.parse(readFileSync('fixtures/torch/torch-cases.json', 'utf8'));
 * const c = cases[0];
 * const model = await importTorchRnn(c.state_dict, { cell: c.cell, layers: c.num_layers, inputSize: c.input_size, units: c.hidden_size });
 * console.log(await model.predictWindows(c.x), c.y);
 * model.dispose();
 * ```
 */
export async function importTorchRnn(stateDict: Record<string, unknown>, options: TorchImportOptions): Promise<TorchRnnModel> {
  const o = parseOptions(TorchImportOptionsSchema, options, 'PyTorch import options');
  const fcWeight = stateDict['fc.weight'];
  const outputSize = Array.isArray(fcWeight) ? fcWeight.length : 1;
  const spec: RecurrentSpec = { cell: o.cell, layers: o.layers, inputSize: o.inputSize, units: o.units, outputSize };
  const weights = weightsFromStateDict(stateDict, spec);
  const engine: RecurrentEngine = await createEngine(o.engine as EngineChoice, spec, weights, { loss: 'mse', optimizer: 'adam', learningRate: 1e-3, dropout: 0 });
  return {
    spec,
    engine: engine.kind,
    async predictWindows(x) {
      if (x.length === 0) return [];
      const T = x[0].length;
      const out = await engine.predict(flatWindows(x, spec.inputSize), x.length, T);
      return Array.from({ length: x.length }, (_, b) => Array.from(out.subarray(b * outputSize, (b + 1) * outputSize)));
    },
    dispose: () => engine.dispose(),
  };
}
