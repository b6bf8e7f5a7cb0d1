/** What every recurrent forecaster does to start training: a fresh network from the seed, and the loop's options. */
import { DataError } from '../../errors.js';
import type { ThreadsOption } from '../engines/threads.js';
import { trainConfig, type RecurrentEngine } from '../engines/engine.js';
import { createEngine } from '../engines/engine-factory.js';
import { initWeights, type RecurrentSpec } from '../engines/weights.js';
import type { EarlyStoppingSchema, EpochInfo, TrainLoopOptions } from './training.js';
import type { z } from 'zod';

/** The options a fresh network and its training loop read (the fields every recurrent forecaster shares). */
export interface FreshEngineOptions {
  seed: number;
  windowNorm: string;
  loss: 'mse' | 'qlike';
  engine: 'auto' | 'tfjs' | 'fused' | 'webgpu';
  optimizer: 'adam' | 'sgd' | 'rmsprop';
  learningRate: number;
  dropout: number;
  batchSize: number;
  epochs: number;
  clipNorm?: number | undefined;
  threads: ThreadsOption;
  quantiles?: number[] | undefined;
  earlyStopping: false | z.output<typeof EarlyStoppingSchema>;
  onEpochEnd?: ((info: EpochInfo) => void | Promise<void>) | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * A fresh network from the seed; with `windowNorm: 'last'` its head starts at zero, so the untrained model
 * forecasts no change from the window's last value: the naive forecast. Training moves it away only as far as the
 * data supports (early stopping keeps the start when no epoch beats it on validation). @internal
 */
export async function freshEngine(spec: RecurrentSpec, o: FreshEngineOptions): Promise<RecurrentEngine> {
  const init = initWeights(spec, o.seed);
  if (o.windowNorm === 'last') {
    init['fc.weight'].fill(0);
    init['fc.bias'].fill(0);
  }
  return createEngine(o.engine, spec, init, trainConfig(o, o.loss, o.quantiles ? { quantiles: o.quantiles } : {}));
}

/**
 * The training loop's options: every epoch with early stopping on validation data, or (`epochs` given: a final
 * fit) exactly that many, without validation or progress callbacks. @internal
 */
export function loopOptions(o: FreshEngineOptions, epochs?: number): TrainLoopOptions {
  const signal = o.signal ? { signal: o.signal } : {};
  if (epochs !== undefined) return { epochs, batchSize: o.batchSize, seed: o.seed, ...signal };
  return {
    epochs: o.epochs,
    batchSize: o.batchSize,
    seed: o.seed,
    ...(o.earlyStopping ? { earlyStopping: o.earlyStopping } : {}),
    ...(o.onEpochEnd ? { onEpochEnd: o.onEpochEnd } : {}),
    ...signal,
  };
}

/**
 * Held-out shares of `n` rows (or a panel's dates): calibration last (at least the horizon when asked), validation
 * before it (at least the horizon when asked), training first. @internal
 */
export function heldOutSpans(
  n: number,
  o: { validation: number; calibration?: number | undefined; horizon: number },
): { trainEnd: number; fitEnd: number } {
  const calibration = o.calibration === undefined ? 0 : Math.max(o.horizon, Math.round(n * o.calibration));
  const fitEnd = n - calibration;
  const validation = o.validation > 0 ? Math.max(o.horizon, Math.round(n * o.validation)) : 0;
  return { trainEnd: fitEnd - validation, fitEnd };
}

/**
 * The error when held-out shares leave fewer than `lookback + horizon` training rows (both numbers given), or
 * undefined. @internal
 */
export function tooFewTrainingRows(
  o: { lookback: number; horizon: number; validation: unknown; calibration?: number | undefined },
  rows: number,
  trainRows: number,
  fitRows: number,
): DataError | undefined {
  const need = o.lookback + o.horizon;
  if (trainRows >= need) return undefined;
  const calibration = fitRows < rows ? ` and calibration ${o.calibration}` : '';
  const held = trainRows < rows ? ` (${trainRows} after holding out validation ${o.validation}${calibration})` : '';
  const hint =
    trainRows < rows
      ? 'use a shorter lookback, more data, or validation: 0 (CLI: --validation 0)'
      : 'use a shorter lookback, or more data';
  const needs = `lookback ${o.lookback} + horizon ${o.horizon} needs ${need} training rows`;
  return new DataError(`${needs}, but the series has ${rows}${held}`, {}, { hint });
}
