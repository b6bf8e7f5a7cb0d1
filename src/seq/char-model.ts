/** The character model: the lecture's many-to-many next-character model (recurrent stack + FC head), on the forecasters' engines. */
import { z } from 'zod';
import { DataError, NotFittedError, PersistenceError } from '../errors.js';
import { plainOptions } from '../util/plain-options.js';
import { trainConfig, type RecurrentEngine } from '../models/engines/engine.js';
import { createEngine } from '../models/engines/engine-factory.js';
import {
  modelToBytes,
  readModel,
  writeModelDir,
  type ModelBytes,
  type SavedModel,
} from '../models/persistence/persistence.js';
import { trainEngine, type EpochInfo, type TrainResult } from '../models/recurrent/training.js';
import { initWeights, type RecurrentSpec } from '../models/engines/weights.js';
import { createRng } from '../util/random.js';
import { parseOptions } from '../validate.js';
import { vocabulary as v } from '../vocabulary.js';
import { textWindows } from './text-windows.js';
import { CharVocab, type CharVocabJSON } from './vocab.js';

/** Options of {@link createCharModel}: the forecaster's words and defaults. */
export const CharModelOptionsSchema = z
  .object({
    /** Cell (default `lstm`; the lecture's experiments use `rnn`). */
    cell: v.cell.withDefault(),
    /** Hidden units (default 32; the lecture uses the vocabulary size). */
    units: v.units.withDefault(),
    /** Stacked layers (default 1). */
    layers: v.layers.withDefault(),
    /** Window length L (default: 30, or the whole text minus one character when the text is shorter). */
    lookback: v.lookback.optional(),
    /** Learning rate (default 0.001; the lecture uses 0.1). */
    learningRate: v.learningRate.withDefault(),
    /** `constant` (default) or `cosine` decay to 1% of the rate over the epochs. */
    schedule: v.schedule.withDefault(),
    /** Training epochs over all windows (default 50). */
    epochs: v.epochs.withDefault(),
    /** Windows per step (default 32). */
    batchSize: v.batchSize.withDefault(),
    /** Optimizer (default `adam`). */
    optimizer: v.optimizer.withDefault(),
    /** Clip the global gradient norm (off by default). */
    clipNorm: v.clipNorm.optional(),
    /** Dropout between stacked layers (default 0). */
    dropout: v.dropout.withDefault(),
    /** Seed for initialization and shuffling (default 42). */
    seed: v.seed.withDefault(),
    /** Threads for one training run on the fused engine (default `auto`); results do not depend on it. */
    threads: v.threads.withDefault(),
    /** Engine (default `auto`). */
    engine: v.engine.withDefault(),
    /** A fixed vocabulary (default: the training text's sorted characters). */
    vocab: z.custom<CharVocab>((x) => x instanceof CharVocab, 'expected a CharVocab').optional(),
    /** Called after every epoch; training waits for a returned promise (so it may call predict). */
    onEpochEnd: z
      .custom<(info: EpochInfo) => void | Promise<void>>((x) => typeof x === 'function', 'expected a function')
      .optional(),
    /** Stops training early between epochs (Ctrl-C). */
    signal: v.signal.optional(),
  })
  .strict();

/** Options of {@link createCharModel}, as accepted. */
export type CharModelOptions = z.input<typeof CharModelOptionsSchema>;

/** Options of {@link CharModel.generate}. */
export const GenerateOptionsSchema = z
  .object({
    /** Sampling temperature (default 1; 0 = always the most likely character). */
    temperature: v.temperature.withDefault(),
    /** Seed of the sampler (default 42). */
    seed: v.seed.withDefault(),
  })
  .strict();

/** Options of {@link CharModel.generate}, as accepted. */
export type GenerateOptions = z.input<typeof GenerateOptionsSchema>;

/** Softmax with temperature, then a draw from the seeded generator (argmax at temperature 0). */
function sample(logits: Float32Array, temperature: number, next: () => number): number {
  if (temperature === 0) return logits.indexOf(Math.max(...logits));
  const max = Math.max(...logits);
  const p = Array.from(logits, (l) => Math.exp((l - max) / temperature));
  let r = next() * p.reduce((a, b) => a + b, 0);
  for (let i = 0; i < p.length; i++) if ((r -= p[i]) <= 0) return i;
  return p.length - 1;
}

/**
 * A many-to-many character model: at every step it predicts the next character. One recurrent stack and
 * a linear head to the vocabulary, trained with softmax cross-entropy; the same cells as the forecasters.
 * Create it with {@link createCharModel}, load it with {@link loadCharModel}.
 *
 * @example
 * ```ts
 * import { CharVocab, createCharModel } from 'stockcast';
 * const model = createCharModel({ vocab: CharVocab.fromChars(['h', 'i', 'e', 'l', 'o']), cell: 'rnn', units: 5, learningRate: 0.1, epochs: 100, seed: 0 });
 * await model.fit('hihello');
 * await model.predict('hihell'); // 'ihello'
 * model.dispose();
 * ```
 */
export class CharModel {
  /** The validated options. */
  readonly options: z.output<typeof CharModelOptionsSchema>;
  /** @internal */ engine: RecurrentEngine | undefined;
  /** The vocabulary, once fitted. */
  vocab: CharVocab | undefined;
  /** The window length L, once fitted. */
  lookback: number | undefined;
  /** The last fit's loss history. */
  training: TrainResult | undefined;

  /** @internal */
  constructor(options: z.output<typeof CharModelOptionsSchema>) {
    this.options = options;
  }

  private spec(vocab: CharVocab): RecurrentSpec {
    const o = this.options;
    return { cell: o.cell, inputSize: vocab.size, units: o.units, layers: o.layers, outputSize: vocab.size };
  }

  private require(method: string): { engine: RecurrentEngine; vocab: CharVocab; lookback: number } {
    if (!this.engine || !this.vocab || this.lookback === undefined) throw new NotFittedError('CharModel', method);
    return { engine: this.engine, vocab: this.vocab, lookback: this.lookback };
  }

  /**
   * Trains a fresh model on a text's windows (x = s[i, i+L), y = s[i+1, i+L+1)).
   * @param text - the training text
   * @returns this model
   * @throws {@link DataError} when the text is shorter than lookback + 1 or has characters outside a given vocabulary
   */
  async fit(text: string): Promise<this> {
    const o = this.options;
    const vocab = o.vocab ?? CharVocab.fromText(text);
    const lookback = o.lookback ?? Math.max(1, Math.min(v.lookback.default!, Array.from(text).length - 1));
    const windows = textWindows(text, { lookback });
    const x = new Float32Array(windows.x.length * lookback * vocab.size);
    windows.x.forEach((w, i) => x.set(vocab.oneHot(w), i * lookback * vocab.size));
    const y = new Int32Array(windows.y.length * lookback);
    windows.y.forEach((w, i) => y.set(vocab.encode(w), i * lookback));
    this.engine?.dispose();
    const spec = this.spec(vocab);
    this.engine = await createEngine(o.engine, spec, initWeights(spec, o.seed), trainConfig(o, 'xent'));
    this.vocab = vocab;
    this.lookback = lookback;
    const schedule =
      o.schedule === 'cosine'
        ? (e: number) => o.learningRate * (0.01 + 0.99 * 0.5 * (1 + Math.cos((Math.PI * e) / o.epochs)))
        : undefined;
    this.training = await trainEngine(this.engine, { x, y, count: windows.x.length, steps: lookback }, undefined, {
      epochs: o.epochs,
      batchSize: o.batchSize,
      seed: o.seed,
      ...(schedule ? { schedule } : {}),
      ...(o.onEpochEnd ? { onEpochEnd: o.onEpochEnd } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    return this;
  }

  /** Logits [n, T, V] for n inputs of equal length. */
  private async logits(inputs: string[]): Promise<{ logits: Float32Array; steps: number; vocab: CharVocab }> {
    const { engine, vocab } = this.require('predict');
    const steps = Array.from(inputs[0]).length;
    const x = new Float32Array(inputs.length * steps * vocab.size);
    inputs.forEach((s, i) => {
      if (Array.from(s).length !== steps)
        throw new DataError(
          `all inputs must have ${steps} characters like the first; input ${i} has ${Array.from(s).length}`,
        );
      x.set(vocab.oneHot(s), i * steps * vocab.size);
    });
    return { logits: await engine.predict(x, inputs.length, steps), steps, vocab };
  }

  /**
   * The most likely next character at every position of the input (argmax per step).
   * @param input - a string of known characters
   * @returns the predicted string, as long as the input
   * @throws {@link NotFittedError} before `fit`
   * @throws {@link DataError} for characters outside the vocabulary
   */
  async predict(input: string): Promise<string> {
    const [out] = await this.predictMany([input]);
    return out;
  }

  private async predictMany(inputs: string[]): Promise<string[]> {
    const { logits, steps, vocab } = await this.logits(inputs);
    const V = vocab.size;
    return inputs.map((_, i) => {
      const ids = Array.from({ length: steps }, (_, t) => {
        const row = logits.subarray((i * steps + t) * V, (i * steps + t + 1) * V);
        return row.indexOf(Math.max(...row));
      });
      return vocab.decode(ids);
    });
  }

  /**
   * The lecture's reconstruction: predict every window of the text, keep the first window's whole prediction,
   * then the last character of each following window's. The result is compared with the text minus its first character.
   * @param text - the text (at least lookback + 1 characters)
   * @returns the reconstructed string (length of the text minus 1)
   * @throws {@link NotFittedError} before `fit`
   */
  async reconstruct(text: string): Promise<string> {
    const { lookback } = this.require('reconstruct');
    const preds = await this.predictMany(textWindows(text, { lookback }).x);
    return (
      preds[0] +
      preds
        .slice(1)
        .map((p) => Array.from(p).at(-1))
        .join('')
    );
  }

  /**
   * Generates text after a prime, one character at a time, sampling from softmax(logits / temperature)
   * with a seeded generator; the context is the last `lookback` characters.
   * @param prime - starting text (known characters)
   * @param length - characters to generate
   * @param options - `temperature` (default 1; 0 = always the most likely) and `seed` (default 42)
   * @returns the generated characters (without the prime)
   * @throws {@link NotFittedError} before `fit`
   * @throws {@link DataError} for an empty prime
   * @throws {@link ValidationError} for an invalid temperature or seed
   */
  async generate(prime: string, length: number, options: GenerateOptions = {}): Promise<string> {
    const { lookback } = this.require('generate');
    if (prime.length === 0) throw new DataError('generate() needs a non-empty prime');
    const { temperature, seed } = parseOptions(GenerateOptionsSchema, options, 'generate options');
    const rng = createRng(seed);
    let context = Array.from(prime);
    let out = '';
    for (let i = 0; i < length; i++) {
      const window = context.slice(-lookback).join('');
      const { logits, steps, vocab } = await this.logits([window]);
      const next = vocab.decode([
        sample(logits.subarray((steps - 1) * vocab.size, steps * vocab.size), temperature, rng.next),
      ]);
      out += next;
      context = [...context, next];
    }
    return out;
  }

  /**
   * Saves the model (weights, vocabulary, options) to a directory, atomically. Load it with {@link loadCharModel}.
   * @param dir - the model directory
   * @throws {@link NotFittedError} before `fit`
   * @throws {@link PersistenceError} when it cannot be written
   */
  async save(dir: string): Promise<void> {
    await writeModelDir(dir, this.saved('save'));
  }

  /**
   * The fitted model as bytes: a tar archive of the files {@link CharModel.save} writes. Load them with
   * {@link loadCharModel}, in Node.js or in a browser.
   * @returns the archive's bytes
   * @throws {@link NotFittedError} before `fit`
   */
  async toBytes(): Promise<Uint8Array> {
    return modelToBytes(this.saved('toBytes'));
  }

  private saved(method: string): SavedModel {
    const { engine, vocab, lookback } = this.require(method);
    const options = { ...plainOptions(this.options), vocab: undefined, lookback };
    return {
      kind: 'charrnn',
      spec: engine.spec,
      weights: engine.getWeights(),
      payload: { options, vocab: vocab.toJSON() },
    };
  }

  /** Frees the network. */
  dispose(): void {
    this.engine?.dispose();
    this.engine = undefined;
  }
}

/**
 * Creates an unfitted character model.
 *
 * @param options - see {@link CharModelOptionsSchema}
 * @returns the model
 * @throws {@link ValidationError} naming each invalid option
 * @example
 * ```ts
 * import { createCharModel } from 'stockcast';
 * const model = await createCharModel({ cell: 'rnn', learningRate: 0.1, epochs: 100 }).fit(' if you want you');
 * await model.predict(' if you want yo'); // 'if you want you'
 * model.dispose();
 * ```
 */
export function createCharModel(options: CharModelOptions = {}): CharModel {
  return new CharModel(parseOptions(CharModelOptionsSchema, options, 'character model options'));
}

/**
 * Loads a character model saved with {@link CharModel.save} or {@link CharModel.toBytes}.
 *
 * @param source - the model directory, or the model's bytes (`ArrayBuffer`, `Uint8Array` or `Blob`)
 * @returns the fitted model
 * @throws {@link PersistenceError} naming the missing or corrupt file
 * @example
 * ```ts
 * import { loadCharModel } from 'stockcast';
 * const model = await loadCharModel('models/hihello');
 * console.log(await model.predict('hihell'));
 * model.dispose();
 * ```
 */
export async function loadCharModel(source: string | ModelBytes): Promise<CharModel> {
  const saved = await readModel(source, 'charrnn');
  const file = typeof source === 'string' ? `${source}/model.json` : 'model bytes/model.json';
  // Format 1 (stockcast 0.1) kept the window length beside the options and named the hidden size `hiddenSize`;
  // the saved network's shape is the authority either way.
  const { seqLength, hiddenSize, ...stored } = saved.payload.options as Record<string, unknown>;
  void seqLength;
  void hiddenSize;
  const { cell, units, layers } = saved.spec;
  const parsed = CharModelOptionsSchema.safeParse({
    ...stored,
    cell,
    units,
    layers,
    lookback: stored.lookback ?? saved.payload.seqLength,
  });
  if (!parsed.success)
    throw new PersistenceError(
      file,
      `invalid saved options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const model = new CharModel(parsed.data);
  try {
    model.vocab = CharVocab.fromJSON(saved.payload.vocab as CharVocabJSON);
  } catch (e) {
    throw new PersistenceError(file, `invalid saved vocabulary: ${(e as Error).message}`, { cause: e });
  }
  if (typeof parsed.data.lookback !== 'number')
    throw new PersistenceError(file, 'the saved model has no window length (lookback)');
  model.lookback = parsed.data.lookback;
  const o = model.options;
  model.engine = await createEngine(o.engine, saved.spec, saved.weights, {
    loss: 'xent',
    optimizer: o.optimizer,
    learningRate: o.learningRate,
    dropout: o.dropout,
    batchSize: o.batchSize,
  });
  return model;
}

/**
 * Share of positions where two strings agree, in percent (over the longer length).
 * @param predicted - a string
 * @param expected - the reference
 * @returns 0..100
 * @example
 * ```ts
 * import { charAccuracy } from 'stockcast';
 * charAccuracy('ihelLo', 'ihello'); // 83.33...
 * ```
 */
export function charAccuracy(predicted: string, expected: string): number {
  const a = Array.from(predicted);
  const b = Array.from(expected);
  const n = Math.max(a.length, b.length);
  if (n === 0) return 100;
  let same = 0;
  for (let i = 0; i < n; i++) if (a[i] === b[i]) same++;
  return (100 * same) / n;
}
