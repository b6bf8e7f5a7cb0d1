/**
 * The recurrent part of a hybrid volatility model: networks (one per seed) that map windows of inputs to a
 * correction of a base model's log-variance forecast, their heads starting at zero so the untrained start is the
 * base itself.
 */
import { trainConfig, type EngineData, type RecurrentEngine } from '../engines/engine.js';
import { createEngine, type EngineChoice } from '../engines/engine-factory.js';
import { initWeights, type CellType, type RecurrentSpec, type RecurrentWeights } from '../engines/weights.js';
import type { ThreadsOption } from '../engines/threads.js';
import { trainEngine, type EarlyStopping, type TrainResult } from './training.js';

/** How the correction networks are shaped and trained (the hybrid's options after defaults). @internal */
export interface CorrectionOptions {
  cell: CellType;
  units: number;
  layers: number;
  dropout: number;
  lookback: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: 'adam' | 'sgd' | 'rmsprop';
  clipNorm?: number | undefined;
  loss: 'mse' | 'qlike';
  validation: number;
  earlyStopping: false | Required<EarlyStopping>;
  finalFit: 'all' | 'training';
  seed: number;
  seeds: number;
  threads: ThreadsOption;
  engine: EngineChoice;
  signal?: AbortSignal | undefined;
}

/** Training windows: inputs [count, L, F] and residual log variances [count, H] (actual minus base), in time order. @internal */
export interface CorrectionData {
  x: Float32Array;
  y: Float32Array;
  count: number;
  steps: number;
  features: number;
}

/** The network's shape: F inputs, H corrections out. @internal */
export function correctionSpec(o: CorrectionOptions, features: number, horizon: number): RecurrentSpec {
  return { cell: o.cell, inputSize: features, units: o.units, layers: o.layers, outputSize: horizon };
}

/** Member k's initial weights: seed + k, head at zero so its correction starts at exactly 0 (the base's forecast). @internal */
export function startWeights(spec: RecurrentSpec, seed: number): RecurrentWeights {
  const w = initWeights(spec, seed);
  w['fc.weight'].fill(0);
  w['fc.bias'].fill(0);
  return w;
}

function engineFor(o: CorrectionOptions, spec: RecurrentSpec, weights: RecurrentWeights): Promise<RecurrentEngine> {
  // QLIKE on residual log variances: exp(r - c) - (r - c) - 1 is QLIKE of the variances s2 and base x exp(c).
  return createEngine(o.engine, spec, weights, trainConfig(o, o.loss));
}

/** Windows [from, to) of the data. */
function part(d: CorrectionData, from: number, to: number): EngineData {
  const xs = d.steps * d.features;
  const H = d.y.length / Math.max(1, d.count);
  return { x: d.x.subarray(from * xs, to * xs), y: d.y.subarray(from * H, to * H), count: to - from, steps: d.steps };
}

/** What one member's training did. */
export interface MemberTraining {
  /** The member's seed. */
  seed: number;
  /** The epoch kept on validation; 0 when no epoch beat the base (the correction stays exactly 0). */
  bestEpoch: number;
  /** Epochs run. */
  epochs: number;
  /** Validation loss of the base alone (correction 0) and of the member kept, when there is validation. */
  validation?: { base: number; model: number };
  /** Epochs of the final fit on every window, when it ran. */
  finalFit?: number;
}

/**
 * Trains one member: early stopping on the last `validation` share of the windows (in time), the zero correction
 * as the first candidate; then, with `finalFit: 'all'` and an epoch that beat it, a fresh network from the same
 * seed on every window for that many epochs.
 */
async function trainMember(
  o: CorrectionOptions,
  spec: RecurrentSpec,
  data: CorrectionData,
  seed: number,
): Promise<{ engine: RecurrentEngine; training: MemberTraining; run: TrainResult }> {
  const nVal = o.validation > 0 && o.earlyStopping ? Math.max(1, Math.round(data.count * o.validation)) : 0;
  const nTrain = data.count - nVal;
  const start = startWeights(spec, seed);
  const engine = await engineFor(o, spec, start);
  const loop = { epochs: o.epochs, batchSize: o.batchSize, seed, ...(o.signal ? { signal: o.signal } : {}) };
  const validation = nVal > 0 && nTrain > 0 ? part(data, nTrain, data.count) : undefined;
  const baseLoss = validation ? await engine.evaluate(validation) : undefined;
  const earlyStopping = o.earlyStopping && validation ? { earlyStopping: o.earlyStopping } : {};
  const run = await trainEngine(engine, part(data, 0, nTrain > 0 ? nTrain : data.count), validation, {
    ...loop,
    ...earlyStopping,
  });
  const training: MemberTraining = { seed, bestEpoch: run.bestEpoch, epochs: run.history.length };
  if (validation && baseLoss !== undefined)
    training.validation = { base: baseLoss, model: await engine.evaluate(validation) };
  if (o.finalFit !== 'all' || !validation || run.bestEpoch === 0 || o.signal?.aborted) return { engine, training, run };
  const fresh = await engineFor(o, spec, start);
  try {
    await trainEngine(fresh, part(data, 0, data.count), undefined, { ...loop, epochs: run.bestEpoch });
  } catch (e) {
    fresh.dispose();
    engine.dispose();
    throw e;
  }
  engine.dispose();
  return { engine: fresh, training: { ...training, finalFit: run.bestEpoch }, run };
}

/**
 * Trains `seeds` members from seeds seed, seed+1, ..., one after another, each on the threads `threads` allows
 * (the fused engine gives the same bits on any number of threads).
 * @internal
 */
export async function trainCorrections(
  o: CorrectionOptions,
  data: CorrectionData,
  horizon: number,
): Promise<{ engines: RecurrentEngine[]; members: MemberTraining[]; runs: TrainResult[] }> {
  const spec = correctionSpec(o, data.features, horizon);
  const engines: RecurrentEngine[] = [];
  const members: MemberTraining[] = [];
  const runs: TrainResult[] = [];
  try {
    for (let k = 0; k < o.seeds; k++) {
      const m = await trainMember(o, spec, data, o.seed + k);
      engines.push(m.engine);
      members.push(m.training);
      runs.push(m.run);
    }
  } catch (e) {
    for (const engine of engines) engine.dispose();
    throw e;
  }
  return { engines, members, runs };
}

/** Engines from saved weights (a loaded hybrid). @internal */
export async function loadCorrections(
  o: CorrectionOptions,
  spec: RecurrentSpec,
  weights: RecurrentWeights[],
): Promise<RecurrentEngine[]> {
  const engines: RecurrentEngine[] = [];
  for (const w of weights) engines.push(await engineFor(o, spec, w));
  return engines;
}
