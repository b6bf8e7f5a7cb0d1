/** CharRNN: the lecture's many-to-many next-character model (recurrent stack + FC head), on the forecasters' engines. */
import { z } from 'zod';
import { DataError, NotFittedError, PersistenceError } from '../errors.js';
import type { RecurrentEngine } from '../models/engine.js';
import { createEngine } from '../models/engines.js';
import { readModelDir, writeModelDir } from '../models/persistence.js';
import { trainEngine, type EpochInfo, type TrainResult } from '../models/training.js';
import { initWeights, type RecurrentSpec } from '../models/weights.js';
import { createRng } from '../util/random.js';
import { parseOptions } from '../validate.js';
import { textWindows } from './text-windows.js';
import { CharVocab, type CharVocabJSON } from './vocab.js';

/** Options of {@link CharRNN}. */
export const CharRNNOptionsSchema = z
  .object({
    /** Cell (default `rnn`, as in the lecture). */
    cell: z.enum(['rnn', 'lstm', 'gru']).default('rnn'),
    /** Hidden units (default: the vocabulary size, as the lecture's hidden_size = input size). */
    units: z.number().int().positive().max(4096).optional(),
    /** Stacked layers (default 1). */
    layers: z.number().int().positive().max(16).default(1),
    /** Window length L (default: the whole text minus one character, one window). */
    seqLength: z.number().int().positive().optional(),
    /** Learning rate (default 0.1, the lecture's). */
    learningRate: z.number().positive().default(0.1),
    /** `constant` (default) or `cosine` decay to 1% of the rate over the epochs. */
    schedule: z.enum(['constant', 'cosine']).default('constant'),
    /** Training iterations over all windows (default 100). */
    epochs: z.number().int().positive().default(100),
    /** Windows per step (default: all, full-batch like the lecture). */
    batchSize: z.number().int().positive().optional(),
    /** Optimizer (default `adam`). */
    optimizer: z.enum(['adam', 'sgd', 'rmsprop']).default('adam'),
    /** Clip the global gradient norm (off by default). */
    clipNorm: z.number().positive().optional(),
    /** Dropout between stacked layers (default 0). */
    dropout: z.number().min(0).lt(1).default(0),
    /** Seed for initialization and shuffling (default 0). */
    seed: z.number().int().default(0),
    /** Engine (default `auto`). */
    engine: z.enum(['auto', 'tfjs', 'fused']).default('auto'),
    /** A fixed vocabulary (default: the training text's sorted characters). */
    vocab: z.custom<CharVocab>((v) => v instanceof CharVocab, 'expected a CharVocab').optional(),
    /** Called after every epoch; training waits for a returned promise (so it may call predict). */
    onEpochEnd: z.custom<(info: EpochInfo) => void | Promise<void>>((v) => typeof v === 'function', 'expected a function').optional(),
  })
  .strict();

/** Options of {@link CharRNN}, as accepted. */
export type CharRNNOptions = z.input<typeof CharRNNOptionsSchema>;

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
 *
 * @example
 * ```ts
 * import { CharRNN, CharVocab } from 'stockcast';
 * const model = new CharRNN({ vocab: CharVocab.fromChars(['h', 'i', 'e', 'l', 'o']), units: 5, learningRate: 0.1, epochs: 100 });
 * await model.fit('hihello');
 * await model.predict('hihell'); // 'ihello'
 * model.dispose();
 * ```
 */
export class CharRNN {
  /** The validated options. */
  readonly options: z.output<typeof CharRNNOptionsSchema>;
  private engine: RecurrentEngine | undefined;
  /** The vocabulary, once fitted. */
  vocab: CharVocab | undefined;
  /** The window length, once fitted. */
  seqLength: number | undefined;
  /** The last fit's loss history. */
  training: TrainResult | undefined;

  /**
   * @param options - see {@link CharRNNOptionsSchema}
   * @throws {@link ValidationError} naming each invalid option
   */
  constructor(options: CharRNNOptions = {}) {
    this.options = parseOptions(CharRNNOptionsSchema, options, 'CharRNN options');
  }

  private spec(vocab: CharVocab): RecurrentSpec {
    const o = this.options;
    return { cell: o.cell, inputSize: vocab.size, units: o.units ?? vocab.size, layers: o.layers, outputSize: vocab.size };
  }

  private require(method: string): { engine: RecurrentEngine; vocab: CharVocab; seqLength: number } {
    if (!this.engine || !this.vocab || this.seqLength === undefined) throw new NotFittedError('CharRNN', method);
    return { engine: this.engine, vocab: this.vocab, seqLength: this.seqLength };
  }

  /**
   * Trains a fresh model on a text's windows (x = s[i, i+L), y = s[i+1, i+L+1)).
   * @param text - the training text
   * @returns this model
   * @throws {@link DataError} when the text is shorter than seqLength + 1 or has characters outside a given vocabulary
   */
  async fit(text: string): Promise<this> {
    const o = this.options;
    const vocab = o.vocab ?? CharVocab.fromText(text);
    const seqLength = o.seqLength ?? Array.from(text).length - 1;
    const windows = textWindows(text, seqLength);
    const x = new Float32Array(windows.x.length * seqLength * vocab.size);
    windows.x.forEach((w, i) => x.set(vocab.oneHot(w), i * seqLength * vocab.size));
    const y = new Int32Array(windows.y.length * seqLength);
    windows.y.forEach((w, i) => y.set(vocab.encode(w), i * seqLength));
    this.engine?.dispose();
    const spec = this.spec(vocab);
    this.engine = await createEngine(o.engine, spec, initWeights(spec, o.seed), {
      loss: 'xent',
      optimizer: o.optimizer,
      learningRate: o.learningRate,
      dropout: o.dropout,
      ...(o.clipNorm !== undefined ? { clipNorm: o.clipNorm } : {}),
    });
    this.vocab = vocab;
    this.seqLength = seqLength;
    const schedule = o.schedule === 'cosine' ? (e: number) => o.learningRate * (0.01 + 0.99 * 0.5 * (1 + Math.cos((Math.PI * e) / o.epochs))) : undefined;
    this.training = await trainEngine(this.engine, { x, y, count: windows.x.length, steps: seqLength }, undefined, {
      epochs: o.epochs,
      batchSize: o.batchSize ?? windows.x.length,
      seed: o.seed,
      ...(schedule ? { schedule } : {}),
      ...(o.onEpochEnd ? { onEpochEnd: o.onEpochEnd } : {}),
    });
    return this;
  }

  /** Logits [n, T, V] for n inputs of equal length. */
  private async logits(inputs: string[]): Promise<{ logits: Float32Array; steps: number; vocab: CharVocab }> {
    const { engine, vocab } = this.require('predict');
    const steps = Array.from(inputs[0]).length;
    const x = new Float32Array(inputs.length * steps * vocab.size);
    inputs.forEach((s, i) => {
      if (Array.from(s).length !== steps) throw new DataError(`all inputs must have ${steps} characters like the first; input ${i} has ${Array.from(s).length}`);
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
   * @param text - the text (at least seqLength + 1 characters)
   * @returns the reconstructed string (length of the text minus 1)
   * @throws {@link NotFittedError} before `fit`
   */
  async reconstruct(text: string): Promise<string> {
    const { seqLength } = this.require('reconstruct');
    const preds = await this.predictMany(textWindows(text, seqLength).x);
    return preds[0] + preds.slice(1).map((p) => Array.from(p).at(-1)).join('');
  }

  /**
   * Generates text after a prime, one character at a time, sampling from softmax(logits / temperature)
   * with a seeded generator; the context is the last seqLength characters.
   * @param prime - starting text (known characters)
   * @param length - characters to generate
   * @param options - `temperature` (default 1; 0 = always the most likely) and `seed` (default 0)
   * @returns the generated characters (without the prime)
   * @throws {@link NotFittedError} before `fit`
   * @throws {@link DataError} for an empty prime
   */
  async generate(prime: string, length: number, options: { temperature?: number; seed?: number } = {}): Promise<string> {
    const { seqLength } = this.require('generate');
    if (prime.length === 0) throw new DataError('generate() needs a non-empty prime');
    const temperature = options.temperature ?? 1;
    if (!(temperature >= 0)) throw new DataError(`temperature must be >= 0: received ${temperature}`);
    const rng = createRng(options.seed ?? 0);
    let context = Array.from(prime);
    let out = '';
    for (let i = 0; i < length; i++) {
      const window = context.slice(-seqLength).join('');
      const { logits, steps, vocab } = await this.logits([window]);
      const next = vocab.decode([sample(logits.subarray((steps - 1) * vocab.size, steps * vocab.size), temperature, rng.next)]);
      out += next;
      context = [...context, next];
    }
    return out;
  }

  /**
   * Saves the model (weights, vocabulary, options) to a directory, atomically.
   * @param dir - the model directory
   * @throws {@link NotFittedError} before `fit`
   * @throws {@link PersistenceError} when it cannot be written
   */
  async save(dir: string): Promise<void> {
    const { engine, vocab, seqLength } = this.require('save');
    const { onEpochEnd, vocab: _, ...options } = this.options;
    void onEpochEnd;
    await writeModelDir(dir, { kind: 'charrnn', spec: engine.spec, weights: engine.getWeights(), payload: { options, vocab: vocab.toJSON(), seqLength } });
  }

  /**
   * Loads a model saved with {@link CharRNN.save}.
   * @param dir - the model directory
   * @returns the fitted model
   * @throws {@link PersistenceError} naming the missing or corrupt file
   */
  static async load(dir: string): Promise<CharRNN> {
    const saved = await readModelDir(dir, 'charrnn');
    let model: CharRNN;
    try {
      model = new CharRNN(saved.payload.options as CharRNNOptions);
      model.vocab = CharVocab.fromJSON(saved.payload.vocab as CharVocabJSON);
    } catch (e) {
      throw new PersistenceError(`${dir}/model.json`, `invalid saved options or vocabulary: ${(e as Error).message}`, { cause: e });
    }
    model.seqLength = saved.payload.seqLength as number;
    const o = model.options;
    model.engine = await createEngine(o.engine, saved.spec, saved.weights, { loss: 'xent', optimizer: o.optimizer, learningRate: o.learningRate, dropout: o.dropout });
    return model;
  }

  /** Frees the network. */
  dispose(): void {
    this.engine?.dispose();
    this.engine = undefined;
  }
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
