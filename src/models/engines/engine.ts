/** The contract every recurrent engine (TensorFlow.js graph, fused CPU kernels, WebGPU kernels) fulfils, on plain typed arrays. */
import type { RecurrentSpec, RecurrentWeights } from './weights.js';
import type { Rng } from '../../util/random.js';
import type { ThreadsOption } from './threads.js';

/** Training data: `x` is [count, steps, inputSize] row-major; `y` is [count, outputSize] (mse) or class ids [count, steps] (xent). */
export interface EngineData {
  x: Float32Array;
  y: Float32Array | Int32Array;
  count: number;
  steps: number;
  /** `qlike` only: each window's factor from network units to log-variance units, [count] (default all 1). */
  lossScale?: Float32Array;
}

/** The loss on a batch and the gradient of every weight (PyTorch layout and names). */
export interface Gradients {
  loss: number;
  grads: RecurrentWeights;
}

/** Failures tests inject into the fused engine's worker threads (never set by users): at start-up, or in a command after the first batch. @internal */
export type WorkerFault = 'startup' | 'throw' | 'exit' | 'grow';

/** How an engine trains. */
export interface TrainConfig {
  /**
   * `mse` on the last step's output (many-to-one), `qlike` on it (the outputs and targets are log variances: see
   * qlikeRows in fused/losses.ts), or softmax cross-entropy at every step (many-to-many).
   */
  loss: 'mse' | 'qlike' | 'xent';
  /**
   * Quantile levels (increasing, in (0, 1)) for a many-to-one (`mse`-shaped) model: the head's outputs are
   * groups of K raw values turned into non-crossing quantiles, trained with the pinball loss instead of MSE
   * (src/models/probabilistic/quantile-head.ts); targets are then [count, outputSize / K].
   */
  quantiles?: number[];
  /** The optimizer. */
  optimizer: 'adam' | 'sgd' | 'rmsprop';
  /** Its learning rate. */
  learningRate: number;
  /** Dropout between stacked layers while training (PyTorch's `dropout`). */
  dropout: number;
  /** Clip the global gradient norm to this value, when set. */
  clipNorm?: number;
  /** Windows per training batch, when known: `engine: 'auto'` picks the webgpu engine only for large batches. */
  batchSize?: number;
  /**
   * Threads for one training run (fused engine): any count up to the cores, or `auto` (default: every core on
   * the main thread, 1 inside a worker thread). Batches too small to pay for a hand-over run on fewer threads.
   * Results are the same bits for every thread count.
   */
  threads?: ThreadsOption;
  /** Fused engine kernels: `auto` (native where it loads, else wasm), or force one (tests, comparisons). @internal */
  kernels?: 'auto' | 'native' | 'wasm';
  /** A failure to inject into the fused engine's worker threads (tests only). @internal */
  fault?: WorkerFault;
}

/** The training options every recurrent model shares, as its options give them. */
export interface TrainingFields {
  optimizer: TrainConfig['optimizer'];
  learningRate: number;
  dropout: number;
  batchSize: number;
  clipNorm?: number | undefined;
  threads: ThreadsOption;
}

/**
 * The engine's training configuration from a model's training options and its loss (`threads: 'auto'` left out,
 * so the engine decides; `clipNorm` only when set).
 * @internal
 */
export function trainConfig(
  o: TrainingFields,
  loss: TrainConfig['loss'],
  extra: Pick<TrainConfig, 'quantiles'> = {},
): TrainConfig {
  return {
    loss,
    optimizer: o.optimizer,
    learningRate: o.learningRate,
    dropout: o.dropout,
    batchSize: o.batchSize,
    ...(o.clipNorm !== undefined ? { clipNorm: o.clipNorm } : {}),
    ...(o.threads !== 'auto' ? { threads: o.threads } : {}),
    ...extra,
  };
}

/** What ran a training: the engine, its kernels and how many threads. */
export interface EngineRun {
  /** `fused`, `tfjs` or `webgpu`. */
  engine: 'fused' | 'tfjs' | 'webgpu';
  /** Fused engine: `native` or `wasm` kernels; tfjs engine: the tfjs backend (`tensorflow`, `wasm`, `cpu`); `webgpu`. */
  kernels: string;
  /** webgpu engine: the GPU adapter (vendor, architecture, description; a software rasterizer says so). */
  adapter?: string;
  /** Fused engine: the kernels' instruction set (`avx512`, `avx2`, `simd128`). */
  isa?: string;
  /** The `threads` option as given (`auto` when not given). */
  requestedThreads: ThreadsOption;
  /** The most threads any batch ran on. */
  threads: number;
  /** Why fewer threads ran than requested, when that happened. */
  note?: string;
}

/** A recurrent network that can train and predict; weights are always in PyTorch's layout. */
export interface RecurrentEngine {
  /** Which implementation. */
  readonly kind: 'tfjs' | 'fused' | 'webgpu';
  /** The network's shape. */
  readonly spec: RecurrentSpec;
  /**
   * Lays out what training batches of `batchSize` windows of `steps` need, before anything runs (the fused engine
   * refuses an oversized model here, before the untrained start is evaluated); optional.
   */
  prepare?(batchSize: number, steps: number): void;
  /** One pass over the data in mini-batches, in the order `rng` shuffles; returns the mean loss. */
  trainEpoch(data: EngineData, batchSize: number, rng: Rng): Promise<number>;
  /** Loss and gradients on all of `data` as one batch, without updating (no dropout). For equivalence tests. */
  gradients(data: EngineData): Promise<Gradients>;
  /** The mean loss on data, without training. */
  evaluate(data: EngineData): Promise<number>;
  /** Outputs: [count, outputSize] for `mse` models, [count, steps, outputSize] logits for `xent` models. */
  predict(x: Float32Array, count: number, steps: number): Promise<Float32Array>;
  /** A copy of the weights. */
  getWeights(): RecurrentWeights;
  /** Replaces the weights (same spec). */
  setWeights(weights: RecurrentWeights): void;
  /** Sets the learning rate for the following steps (schedules). */
  setLearningRate(lr: number): void;
  /** What has run so far: engine, kernels, threads (reported in the training result). */
  describe(): EngineRun;
  /** Frees tensors or buffers. */
  dispose(): void;
}
