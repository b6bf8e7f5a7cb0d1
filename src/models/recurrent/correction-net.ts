/**
 * The recurrent part of a hybrid volatility model: networks (one per seed) that map windows of inputs to a
 * correction of a base model's log-variance forecast, their heads starting at zero so the untrained start is the
 * base itself.
 */
import { trainConfig, type EngineData, type RecurrentEngine } from '../engines/engine.js';
import { createEngine, type EngineChoice } from '../engines/engine-factory.js';
import { initWeights, type CellType, type RecurrentSpec, type RecurrentWeights } from '../engines/weights.js';
import type { ThreadsOption } from '../engines/threads.js';
import { dieboldMarianoLoss } from '../../stats/diebold-mariano.js';
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
  validation?: {
    /** The base's loss on the validation windows. */
    base: number;
    /** The member's loss there. */
    model: number;
  };
  /** Epochs of the final fit on every window, when it ran. */
  finalFit?: number;
}

/**
 * One-sided level at which the ensemble's correction must beat the base on the validation windows (a
 * Diebold-Mariano test on the per-window loss differentials) to be kept; otherwise the hybrid is its base.
 */
export const CORRECTION_LEVEL = 0.05;

/** How the ensemble's correction did against the base on the validation windows (before any final fit). */
export interface CorrectionCheck {
  /** Validation windows. */
  windows: number;
  /** Mean validation loss of the base alone (correction 0). */
  base: number;
  /** Mean validation loss of the ensemble (the mean of the members' corrections). */
  model: number;
  /** Diebold-Mariano statistic of the loss differentials (model - base; negative: the correction helps). */
  statistic: number | null;
  /** Its two-sided p-value (null when the correction changed nothing). */
  pValue: number | null;
  /** Whether the correction was kept: a lower loss with a one-sided p-value below 0.05 (`CORRECTION_LEVEL`). */
  kept: boolean;
}

/** One member before any final fit: its engine, what training did, and its corrections of the validation windows. */
interface Member {
  engine: RecurrentEngine;
  training: MemberTraining;
  run: TrainResult;
  validation?: Float32Array;
}

/**
 * Trains one member: early stopping on the last `validation` share of the windows (in time), the zero correction
 * as the first candidate; its corrections of the validation windows are kept for the ensemble's check.
 */
async function trainMember(
  o: CorrectionOptions,
  spec: RecurrentSpec,
  data: CorrectionData,
  seed: number,
): Promise<Member> {
  const nVal = validationCount(o, data);
  const nTrain = data.count - nVal;
  const engine = await engineFor(o, spec, startWeights(spec, seed));
  const loop = { epochs: o.epochs, batchSize: o.batchSize, seed, ...(o.signal ? { signal: o.signal } : {}) };
  const validation = nVal > 0 && nTrain > 0 ? part(data, nTrain, data.count) : undefined;
  const baseLoss = validation ? await engine.evaluate(validation) : undefined;
  const earlyStopping = o.earlyStopping && validation ? { earlyStopping: o.earlyStopping } : {};
  const run = await trainEngine(engine, part(data, 0, nTrain > 0 ? nTrain : data.count), validation, {
    ...loop,
    ...earlyStopping,
  });
  const training: MemberTraining = { seed, bestEpoch: run.bestEpoch, epochs: run.history.length };
  if (!validation || baseLoss === undefined) return { engine, training, run };
  training.validation = { base: baseLoss, model: await engine.evaluate(validation) };
  return { engine, training, run, validation: await engine.predict(validation.x, validation.count, data.steps) };
}

/** Validation windows: the last `validation` share, when early stopping is on. */
function validationCount(o: CorrectionOptions, data: CorrectionData): number {
  return o.validation > 0 && o.earlyStopping ? Math.max(1, Math.round(data.count * o.validation)) : 0;
}

/** A fresh member from the same seed on every window for the epochs its validation chose (`finalFit: 'all'`). */
async function finalMember(o: CorrectionOptions, spec: RecurrentSpec, data: CorrectionData, m: Member) {
  const seed = m.training.seed;
  const fresh = await engineFor(o, spec, startWeights(spec, seed));
  const loop = {
    epochs: m.training.bestEpoch,
    batchSize: o.batchSize,
    seed,
    ...(o.signal ? { signal: o.signal } : {}),
  };
  try {
    await trainEngine(fresh, part(data, 0, data.count), undefined, loop);
  } catch (e) {
    fresh.dispose();
    throw e;
  }
  m.engine.dispose();
  m.engine = fresh;
  m.training = { ...m.training, finalFit: m.training.bestEpoch };
}

/**
 * The ensemble's check on the validation windows: per window, the mean over its H steps of the loss of the
 * residual r minus the mean correction c (QLIKE exp(r - c) - (r - c) - 1, or (r - c)^2), against c = 0.
 */
function checkEnsemble(o: CorrectionOptions, data: CorrectionData, members: Member[]): CorrectionCheck | undefined {
  const predictions = members.map((m) => m.validation).filter((p): p is Float32Array => p !== undefined);
  if (predictions.length === 0) return undefined;
  const windows = validationCount(o, data);
  const H = predictions[0].length / windows;
  const y = data.y.subarray((data.count - windows) * H);
  const loss = (e: number) => (o.loss === 'qlike' ? Math.exp(e) - e - 1 : e * e);
  const d = new Float64Array(windows);
  let [base, model] = [0, 0];
  for (let w = 0; w < windows; w++) {
    for (let h = 0; h < H; h++) {
      const i = w * H + h;
      const c = predictions.reduce((s, p) => s + p[i], 0) / predictions.length;
      const [lb, lm] = [loss(y[i]), loss(y[i] - c)];
      [base, model] = [base + lb, model + lm];
      d[w] += (lm - lb) / H;
    }
  }
  [base, model] = [base / (windows * H), model / (windows * H)];
  if (!(model < base) || windows < 2 * H) return { windows, base, model, statistic: null, pValue: null, kept: false };
  const t = dieboldMarianoLoss(d, { horizon: H });
  const kept = t.statistic < 0 && t.pValue / 2 < CORRECTION_LEVEL;
  return { windows, base, model, statistic: t.statistic, pValue: t.pValue, kept };
}

/**
 * Trains `seeds` members from seeds seed, seed+1, ..., one after another, each on the threads `threads` allows
 * (the fused engine gives the same bits on any number of threads). With validation windows, the ensemble's
 * correction is kept only when it beats the base there ({@link CorrectionCheck}); then, with `finalFit: 'all'`,
 * each member whose epoch beat the base is trained afresh on every window.
 * @returns the members' engines (none when the check dropped the correction), their records and the check
 * @internal
 */
export async function trainCorrections(
  o: CorrectionOptions,
  data: CorrectionData,
  horizon: number,
): Promise<{ engines: RecurrentEngine[]; members: MemberTraining[]; runs: TrainResult[]; check?: CorrectionCheck }> {
  const spec = correctionSpec(o, data.features, horizon);
  const members: Member[] = [];
  try {
    for (let k = 0; k < o.seeds; k++) members.push(await trainMember(o, spec, data, o.seed + k));
    const check = checkEnsemble(o, data, members);
    const result = { members: members.map((m) => m.training), runs: members.map((m) => m.run) };
    if (check && !check.kept) {
      for (const m of members) m.engine.dispose();
      return { engines: [], ...result, check };
    }
    for (const m of members) {
      if (o.finalFit === 'all' && m.validation && m.training.bestEpoch > 0 && !o.signal?.aborted)
        await finalMember(o, spec, data, m);
    }
    return {
      engines: members.map((m) => m.engine),
      members: members.map((m) => m.training),
      runs: result.runs,
      ...(check ? { check } : {}),
    };
  } catch (e) {
    for (const m of members) m.engine.dispose();
    throw e;
  }
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
