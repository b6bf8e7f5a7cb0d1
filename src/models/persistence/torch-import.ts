/** Builds a many-to-one model from a PyTorch `state_dict` (nn.RNN/LSTM/GRU + nn.Linear head `fc`) exported as JSON. */
import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { parseOptions } from '../../validate.js';
import { vocabulary as v } from '../../vocabulary.js';
import { createEngine } from '../engines/engine-factory.js';
import type { EngineChoice } from '../engines/engines.js';
import type { RecurrentEngine } from '../engines/engine.js';
import { weightsFromStateDict, type RecurrentSpec } from '../engines/weights.js';

/** PyTorch's spelling of the constructor arguments, accepted as aliases of the SDK's words. */
const PYTORCH_ALIASES = { hidden_size: 'units', num_layers: 'layers', input_size: 'inputSize' } as const;

/**
 * Options of {@link importTorchRnn}: the PyTorch constructor's arguments in the SDK's words (`units` for
 * `hidden_size`, `layers` for `num_layers`, `inputSize` for `input_size`). PyTorch's own spelling is accepted as
 * an alias, so `{ cell: 'lstm', input_size: 5, hidden_size: 64, num_layers: 2 }` works too.
 */
export const TorchImportOptionsSchema = z
  .object({
    /** `rnn` (nn.RNN, tanh), `lstm` or `gru`. */
    cell: v.cell.schema,
    /** Hidden units per layer: PyTorch's `hidden_size`. */
    units: v.units.optional(),
    /** Stacked layers: PyTorch's `num_layers` (default 1, as in PyTorch). */
    layers: v.layers.optional(),
    /** Features per time step: PyTorch's `input_size`. */
    inputSize: v.inputSize.optional(),
    /** Alias of `units` (PyTorch's spelling). */
    hidden_size: v.units.optional(),
    /** Alias of `layers` (PyTorch's spelling). */
    num_layers: v.layers.optional(),
    /** Alias of `inputSize` (PyTorch's spelling). */
    input_size: v.inputSize.optional(),
    /** Engine to run it on (default `auto`). */
    engine: v.engine.withDefault(),
  })
  .strict()
  .transform((o, ctx) => {
    const out = { cell: o.cell, units: o.units, layers: o.layers, inputSize: o.inputSize, engine: o.engine };
    for (const [alias, word] of Object.entries(PYTORCH_ALIASES) as Array<
      [keyof typeof PYTORCH_ALIASES, 'units' | 'layers' | 'inputSize']
    >) {
      const given = o[alias];
      if (given === undefined) continue;
      if (out[word] !== undefined && out[word] !== given)
        ctx.addIssue({
          code: 'custom',
          path: [alias],
          message: `${alias} = ${given} contradicts ${word} = ${out[word]}: give one of them`,
        });
      out[word] = given;
    }
    for (const word of ['units', 'inputSize'] as const) {
      if (out[word] === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [word],
          message: `required (PyTorch's ${word === 'units' ? 'hidden_size' : 'input_size'})`,
        });
    }
    return { ...out, units: out.units ?? 1, inputSize: out.inputSize ?? 1, layers: out.layers ?? v.layers.default! };
  });

/** Options of {@link importTorchRnn}, as accepted. */
export type TorchImportOptions = z.input<typeof TorchImportOptionsSchema>;

/** A PyTorch many-to-one model running in stockcast. */
export interface TorchRnnModel {
  /** The network's shape. */
  readonly spec: RecurrentSpec;
  /** The engine running it. */
  readonly engine: 'tfjs' | 'fused' | 'webgpu';
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
    if (window.length !== T)
      throw new ValidationError('windows', [
        { path: `x[${b}]`, message: `expected ${T} time steps like x[0], received ${window.length}` },
      ]);
    window.forEach((step, t) => {
      if (step.length !== F)
        throw new ValidationError('windows', [
          { path: `x[${b}][${t}]`, message: `expected ${F} features (inputSize), received ${step.length}` },
        ]);
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
 * const model = await importTorchRnn(c.state_dict, { cell: c.cell, num_layers: c.num_layers, input_size: c.input_size, hidden_size: c.hidden_size });
 * console.log(await model.predictWindows(c.x), c.y);
 * model.dispose();
 * ```
 */
export async function importTorchRnn(
  stateDict: Record<string, unknown>,
  options: TorchImportOptions,
): Promise<TorchRnnModel> {
  const o = parseOptions(TorchImportOptionsSchema, options, 'PyTorch import options');
  const fcWeight = stateDict['fc.weight'];
  const outputSize = Array.isArray(fcWeight) ? fcWeight.length : 1;
  const spec: RecurrentSpec = { cell: o.cell, layers: o.layers, inputSize: o.inputSize, units: o.units, outputSize };
  const weights = weightsFromStateDict(stateDict, spec);
  const engine: RecurrentEngine = await createEngine(o.engine as EngineChoice, spec, weights, {
    loss: 'mse',
    optimizer: 'adam',
    learningRate: 1e-3,
    dropout: 0,
  });
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
