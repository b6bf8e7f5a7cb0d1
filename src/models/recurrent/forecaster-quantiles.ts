/** Quantile outputs of the recurrent forecaster: raw head values to calibrated quantiles in target units, and the point forecast they imply. */
import { DataError } from '../../errors.js';
import type { Scaler } from '../../prep/scalers.js';
import type { NormalizedWindows } from '../../prep/window-norm.js';
import { applyCqr, cqrCalibrate } from '../probabilistic/conformal-quantiles.js';
import { rawToQuantiles } from '../probabilistic/quantile-head.js';

/** The forecaster's quantile levels and, once calibrated, the CQR shift of each step and level. */
export interface QuantileState {
  /** The levels, increasing. */
  levels: number[];
  /** CQR parameters per step ([shift of the lowest level, factors of the gaps above]), when calibrated on held-out windows. */
  shifts: Float64Array[] | undefined;
}

/**
 * Raw head outputs [count, H*K] to quantiles [count, H, K] in target units: the non-crossing head, then the
 * window normalization's and the scaler's inverses (both increasing maps, so the order is kept), then CQR.
 * @internal
 */
export function quantilesInTargetUnits(
  raw: ArrayLike<number>,
  o: { horizon: number; state: QuantileState; norm?: NormalizedWindows; scaler?: Scaler; target: string },
): Float64Array {
  const K = o.state.levels.length;
  const H = o.horizon;
  const q = rawToQuantiles(raw, K);
  if (o.norm) {
    const { targetScale, targetCenter, method } = o.norm;
    const offset = method === 'last' ? 1 : 0;
    for (let i = 0; i < q.length; i++) {
      const w = Math.floor(i / (H * K));
      if (!(targetScale[w] > 0))
        throw new DataError(
          `window ${w}: quantiles need a positive window scale to keep their order, received ${targetScale[w]}`,
          {},
          { hint: "use windowNorm 'zscore' or 'none' with quantiles when the target can be negative" },
        );
      q[i] = (q[i] + offset) * targetScale[w] + targetCenter[w];
    }
  }
  const out = o.scaler ? o.scaler.inverseTransformColumn(q, o.target) : q;
  if (o.state.shifts) applyCqr(out, o.state.shifts, K);
  return out;
}

/** The level used as the point forecast: 0.5 when present, else the one nearest to it. @internal */
export function pointLevel(levels: readonly number[]): number {
  let best = 0;
  levels.forEach((q, k) => {
    if (Math.abs(q - 0.5) < Math.abs(levels[best] - 0.5)) best = k;
  });
  return best;
}

/** The point forecasts [count, H] taken from quantiles [count, H, K]. @internal */
export function pointFromQuantiles(q: Float64Array, levels: readonly number[]): Float64Array {
  const K = levels.length;
  const k = pointLevel(levels);
  return Float64Array.from({ length: q.length / K }, (_, i) => q[i * K + k]);
}

/**
 * CQR parameters from quantiles predicted on held-out windows and the actual values there.
 * @param q - uncalibrated quantiles [n, H, K] in target units
 * @param actual - the target column
 * @param origins - the n windows' first target rows
 * @param levels - the levels
 * @param horizon - H
 * @internal
 */
export function calibrateQuantiles(
  q: Float64Array,
  actual: ArrayLike<number>,
  origins: ArrayLike<number>,
  levels: readonly number[],
  horizon: number,
): Float64Array[] {
  const y = Float64Array.from(
    { length: origins.length * horizon },
    (_, i) => actual[origins[Math.floor(i / horizon)] + (i % horizon)],
  );
  return cqrCalibrate(q, y, levels, horizon);
}
