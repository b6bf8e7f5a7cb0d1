/** The training loop shared by forecasters and character models: seeded epochs, validation, early stopping, progress. */
import { platform } from '../../platform/runtime.js';
import { z } from 'zod';
import { createRng, type Rng } from '../../util/random.js';
import type { EngineData, EngineRun, RecurrentEngine } from '../engines/engine.js';
import type { ValidationCheck } from './validation.js';
import { cloneWeights, type RecurrentWeights } from '../engines/weights.js';

/** What `onEpochEnd` receives after every epoch. */
export interface EpochInfo {
  /** 1-based epoch number. */
  epoch: number;
  /** Total epochs planned. */
  epochs: number;
  /** Mean training loss of the epoch (scaled units). */
  loss: number;
  /** Validation loss, when there is validation data. */
  valLoss?: number;
  /** Milliseconds since training started. */
  elapsedMs: number;
  /** Estimated milliseconds left (at the current pace, ignoring early stopping). */
  etaMs: number;
}

/** Early stopping on validation data: stop when the validation loss has not improved by `minDelta` for `patience` epochs. */
export const EarlyStoppingSchema = z
  .object({
    /** Epochs without improvement before stopping (default 5). */
    patience: z.number().int().positive().default(5),
    /** The smallest decrease that counts as an improvement (default 0). */
    minDelta: z.number().min(0).default(0),
    /** Put back the best epoch's weights at the end (default true). */
    restoreBest: z.boolean().default(true),
  })
  .strict();

/** @see {@link EarlyStoppingSchema} */
export type EarlyStopping = z.input<typeof EarlyStoppingSchema>;

/** One row of the training history. */
export interface HistoryEntry {
  /** 1-based epoch. */
  epoch: number;
  /** Mean training loss (scaled units). */
  loss: number;
  /** Validation loss, when there is validation data. */
  valLoss?: number;
}

/** An option set because of one the user gave: an option the user gives wins over a default they never chose. */
export interface AdjustedOption {
  /** The option that was set. */
  option: string;
  /** Its value. */
  value: unknown;
  /** Why, in one sentence. */
  reason: string;
}

/** What a training run did. */
export interface TrainResult {
  /** One entry per epoch run. */
  history: HistoryEntry[];
  /** The epoch whose weights the model holds at the end; 0 when no epoch beat the untrained start on validation. */
  bestEpoch: number;
  /** Whether early stopping ended training before the last epoch. */
  stoppedEarly: boolean;
  /** What ran: the engine, its kernels and how many threads (with a note when fewer ran than requested). */
  run: EngineRun;
  /** Forecasters fitted with validation data: the model next to the naive forecast on the validation windows. */
  validation?: ValidationCheck;
  /** Options set because of others the user gave (e.g. `windowNorm: 'none'` with a `scaler`). */
  adjusted?: AdjustedOption[];
  /**
   * Forecasters with `finalFit: 'all'`: the retraining from the seed on the training and validation rows for the
   * chosen number of epochs, after the validation checks (absent when it did not run).
   */
  finalFit?: FinalFit;
}

/** The final fit of a forecaster (`finalFit: 'all'`). */
export interface FinalFit {
  /** Rows it trained on: the training and validation rows (calibration rows excluded). */
  rows: number;
  /** Epochs it ran: those validation chose. */
  epochs: number;
}

/**
 * Windows the training loop passes over when they do not fit in one engine call (a panel's windows, drawn lazily
 * a bounded number at a time): one epoch of training, or the mean loss, over all of them. @internal
 */
export interface EpochSource {
  /** Windows in all. */
  count: number;
  /** Steps per window. */
  steps: number;
  /** One pass in mini-batches of `batchSize`, in an order drawn from `rng`; returns the mean loss. */
  trainEpoch(engine: RecurrentEngine, batchSize: number, rng: Rng): Promise<number>;
  /** The mean loss over every window, without training. */
  evaluate(engine: RecurrentEngine): Promise<number>;
}

function asSource(d: EngineData | EpochSource): EpochSource {
  if ('trainEpoch' in d) return d;
  return {
    count: d.count,
    steps: d.steps,
    trainEpoch: (engine, batchSize, rng) => engine.trainEpoch(d, batchSize, rng),
    evaluate: (engine) => engine.evaluate(d),
  };
}

/** @internal */
export interface TrainLoopOptions {
  epochs: number;
  batchSize: number;
  seed: number;
  earlyStopping?: z.output<typeof EarlyStoppingSchema>;
  onEpochEnd?: (info: EpochInfo) => void | Promise<void>;
  /** Learning rate per epoch (0-based), for schedules. */
  schedule?: (epoch: number) => number;
  signal?: AbortSignal;
}

/**
 * Trains an engine for up to `epochs` epochs; each epoch's shuffle comes from the seed, so runs repeat exactly.
 * @internal
 */
export async function trainEngine(
  engine: RecurrentEngine,
  trainData: EngineData | EpochSource,
  validationData: EngineData | EpochSource | undefined,
  o: TrainLoopOptions,
): Promise<TrainResult> {
  const train = asSource(trainData);
  const validation = validationData && asSource(validationData);
  const rng = createRng(o.seed);
  const history: HistoryEntry[] = [];
  const started = performance.now();
  let best = Infinity;
  let bestEpoch = 0;
  let bestWeights: RecurrentWeights | undefined;
  let waited = 0;
  // The training batches' memory first: an oversized model fails here, before any evaluation runs.
  engine.prepare?.(Math.min(o.batchSize, train.count), train.steps);
  // With validation data the untrained start is the first candidate: if no epoch beats it, it is what remains.
  if (o.earlyStopping?.restoreBest && validation) {
    best = await validation.evaluate(engine);
    bestWeights = cloneWeights(engine.getWeights());
  }
  let stoppedEarly = false;
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    // Yield to the event loop so signals (Ctrl-C), timers and progress output run between epochs; the fused
    // engine never awaits anything on its own.
    await platform().nextTurn();
    if (o.signal?.aborted) break;
    if (o.schedule) engine.setLearningRate(o.schedule(epoch - 1));
    const loss = await train.trainEpoch(engine, o.batchSize, createRng(rng.fork()));
    const valLoss = validation ? await validation.evaluate(engine) : undefined;
    history.push(valLoss === undefined ? { epoch, loss } : { epoch, loss, valLoss });
    const elapsedMs = performance.now() - started;
    await o.onEpochEnd?.({
      epoch,
      epochs: o.epochs,
      loss,
      ...(valLoss !== undefined ? { valLoss } : {}),
      elapsedMs,
      etaMs: (elapsedMs / epoch) * (o.epochs - epoch),
    });
    // Early stopping watches the validation loss; without validation data every epoch runs.
    if (!o.earlyStopping || valLoss === undefined) continue;
    if (valLoss < best - o.earlyStopping.minDelta) {
      best = valLoss;
      bestEpoch = epoch;
      waited = 0;
      if (o.earlyStopping.restoreBest) bestWeights = cloneWeights(engine.getWeights());
    } else if (++waited >= o.earlyStopping.patience) {
      stoppedEarly = epoch < o.epochs;
      break;
    }
  }
  if (bestWeights && bestEpoch !== history.length) engine.setWeights(bestWeights);
  return { history, bestEpoch: bestWeights ? bestEpoch : history.length, stoppedEarly, run: engine.describe() };
}
