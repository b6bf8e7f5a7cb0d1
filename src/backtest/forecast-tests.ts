/**
 * Diebold-Mariano tests of compared models on their forecast points: each model against the benchmark, one test per
 * forecast step, pooled by date and per symbol on panels; and the per-point losses the tests compare.
 */
import { DataError } from '../errors.js';
import type { TargetKind } from '../models/contract.js';
import { dieboldMariano, dieboldMarianoLoss, dieboldMarianoPanel } from '../stats/diebold-mariano.js';
import { overlapHorizon } from '../stats/verdict.js';
import type { ForecastPoint } from './metrics.js';

/** The loss a Diebold-Mariano test compares: `mse` (squared error) or `qlike` (volatility and variance targets). */
export type TestLoss = 'mse' | 'qlike';

/** A metric whose per-point loss the Reality Check and SPA test compare (the comparison's `rankBy`). */
export type LossMetric = 'mae' | 'rmse' | 'mape' | 'smape' | 'mase' | 'directionalAccuracy' | 'qlike' | 'mseLog';

/** One forecast step's Diebold-Mariano test. */
export interface StepTest {
  /** The step, 0-based as in the forecast points. */
  step: number;
  /** The statistic (negative: the model has the smaller loss); NaN when the test could not be run. */
  statistic: number;
  /** The two-sided p-value; NaN when the test could not be run. */
  pValue: number;
  /** Loss differentials (dates, on a panel's pooled test) the test used. */
  observations: number;
}

/** A model's Diebold-Mariano test against the benchmark. */
export interface DieboldMarianoResult {
  /** The benchmark model's display name. */
  benchmark: string;
  /** The loss compared. */
  loss: TestLoss;
  /**
   * The statistic at the last forecast step, or on the means with `horizonMean` (negative: the model is better); NaN
   * when the test could not be run.
   */
  statistic: number;
  /** Its two-sided p-value; NaN when the test could not be run. */
  pValue: number;
  /** Every step's test, at horizons above 1 without `horizonMean` (the last one is `statistic` and `pValue`). */
  perStep?: StepTest[];
  /** With `horizonMean` at horizons above 1: the H steps each point is the mean of (one test, on the means). */
  meanOf?: number;
  /** Why the test could not be run, when it could not. */
  note?: string;
}

/** A forecast point of a series or of a panel's symbol. @internal */
export type Point = ForecastPoint & { symbol?: string };

/** A point's key: its symbol, origin and step. @internal */
export const keyOf = (p: Point) => `${p.symbol ?? ''}\u0000${p.originTimestamp}\u0000${p.step}`;

/** ln s2 - ln h of one point, volatilities squared first. NaN when a value is not positive. */
function logRatio(p: Point, kind: TargetKind): number {
  if (!(p.actual > 0) || !(p.predicted > 0)) return Number.NaN;
  return (kind === 'volatility' ? 2 : 1) * (Math.log(p.actual) - Math.log(p.predicted));
}

/** QLIKE of one point: s2/h - ln(s2/h) - 1, volatilities squared first. NaN when a value is not positive. */
function qlikeLoss(p: Point, kind: TargetKind): number {
  const log = logRatio(p, kind);
  return Math.exp(log) - log - 1;
}

/**
 * The loss of one point under a metric or a test loss (`mase` divides by the point's naive scale).
 * @internal
 */
export function pointLoss(p: Point, metric: LossMetric | TestLoss, kind: TargetKind, scale = 1): number {
  const e = p.actual - p.predicted;
  switch (metric) {
    case 'mae':
      return Math.abs(e);
    case 'rmse':
    case 'mse':
      return e * e;
    case 'mape':
      return p.actual === 0 ? Number.NaN : (100 * Math.abs(e)) / Math.abs(p.actual);
    case 'smape': {
      const d = Math.abs(p.actual) + Math.abs(p.predicted);
      return d === 0 ? 0 : (200 * Math.abs(e)) / d;
    }
    case 'mase':
      return Math.abs(e) / scale;
    case 'directionalAccuracy': {
      // A miss costs 1, a hit 0; a forecast that does not move says nothing about direction: a coin's 0.5.
      const move = Math.sign(p.predicted - p.lastKnown);
      if (move === 0) return 0.5;
      return move === Math.sign(p.actual - p.lastKnown) ? 0 : 1;
    }
    case 'qlike':
      return qlikeLoss(p, kind);
    case 'mseLog':
      return logRatio(p, kind) ** 2;
  }
}

/** Pairs of a model's and the benchmark's points at the same symbol, origin and step, in the model's order. */
function aligned(model: readonly Point[], bench: readonly Point[]): Array<[Point, Point]> {
  const byKey = new Map(bench.map((p) => [keyOf(p), p]));
  const pairs: Array<[Point, Point]> = [];
  for (const p of model) {
    const b = byKey.get(keyOf(p));
    if (b) pairs.push([p, b]);
  }
  return pairs;
}

/** What a Diebold-Mariano test is asked: the benchmark, the loss, the target kind and the origins' spacing. */
export interface DieboldMarianoSetup {
  benchmark: string;
  loss: TestLoss;
  kind: TargetKind;
  horizon: number;
  /** Rows (dates on a panel) between consecutive origins. */
  spacing: number;
  /** The points are means over the H steps (`horizonMean`): one test, its errors overlapping ceil(H / spacing) origins. */
  horizonMean?: boolean;
}

/** Runs a test, turning a DataError (too few points, equal losses) into NaN with the reason. */
function attempt(
  run: () => { statistic: number; pValue: number; observations: number },
  n: number,
): StepTest & { note?: string } {
  try {
    const t = run();
    return { step: 0, statistic: t.statistic, pValue: t.pValue, observations: t.observations };
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    return { step: 0, statistic: Number.NaN, pValue: Number.NaN, observations: n, note: e.message };
  }
}

function stepTest(pairs: Array<[Point, Point]>, step: number, s: DieboldMarianoSetup, pooled: boolean) {
  const at = pairs.filter(([p]) => p.step === step);
  // A step h forecast from origins `spacing` apart shares its errors' shocks with the next ceil((h+1)/spacing) - 1
  // origins; a mean over the H steps reaches as far as its last step.
  const horizon = overlapHorizon(s.horizonMean ? s.horizon : step + 1, s.spacing);
  if (pooled) {
    const d = at.map(([p, b]) => ({
      timestamp: p.timestamp,
      differential: pointLoss(p, s.loss, s.kind) - pointLoss(b, s.loss, s.kind),
    }));
    return { ...attempt(() => dieboldMarianoPanel(d, { horizon }), d.length), step };
  }
  if (s.loss === 'mse') {
    // Squared error: exactly `dieboldMariano` on the two error series, as R's dm.test(e1, e2, h, power = 2).
    const e1 = at.map(([p]) => p.actual - p.predicted);
    const e2 = at.map(([, b]) => b.actual - b.predicted);
    return { ...attempt(() => dieboldMariano(e1, e2, { horizon, power: 2 }), at.length), step };
  }
  const d = at.map(([p, b]) => pointLoss(p, s.loss, s.kind) - pointLoss(b, s.loss, s.kind));
  if (d.some((x) => !Number.isFinite(x))) {
    const note = 'QLIKE needs positive realized values and forecasts: some are not';
    return { step, statistic: Number.NaN, pValue: Number.NaN, observations: d.length, note };
  }
  return { ...attempt(() => dieboldMarianoLoss(d, { horizon }), d.length), step };
}

/**
 * A model's Diebold-Mariano test against the benchmark on their common points: one test per forecast step, the
 * last step's as `statistic` and `pValue`. `pooled` (panels) averages each date's differentials over the symbols.
 * @internal
 */
export function dieboldMarianoAgainst(
  model: readonly Point[],
  bench: readonly Point[],
  s: DieboldMarianoSetup,
  pooled = false,
): DieboldMarianoResult {
  const pairs = aligned(model, bench);
  const steps = Array.from({ length: s.horizonMean ? 1 : s.horizon }, (_, h) => stepTest(pairs, h, s, pooled));
  const last = steps[steps.length - 1];
  const note = steps.find((t) => t.note)?.note;
  return {
    benchmark: s.benchmark,
    loss: s.loss,
    statistic: last.statistic,
    pValue: last.pValue,
    ...(s.horizonMean && s.horizon > 1 ? { meanOf: s.horizon } : {}),
    ...(steps.length > 1
      ? {
          perStep: steps.map(({ step, statistic, pValue, observations }) => ({
            step,
            statistic,
            pValue,
            observations,
          })),
        }
      : {}),
    ...(note ? { note } : {}),
  };
}
