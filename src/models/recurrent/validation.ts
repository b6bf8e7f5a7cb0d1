/**
 * What a forecaster learns from its validation windows once trained: how it compares with the naive forecast on
 * them (in target units), and the split-conformal widths of its prediction intervals.
 */
import type { Windows } from '../../prep/windows.js';
import { conformalWidths } from '../probabilistic/conformal.js';
import type { PredictionInterval } from './forecast.js';

/** The fitted model on its validation windows, next to the naive forecast (the last observed value) on the same windows. */
export interface ValidationCheck {
  /** Validation windows compared. */
  windows: number;
  /**
   * Whether those windows selected nothing: with early stopping, the later validation windows, whose targets all
   * come after the windows that chose the epoch. False (an in-sample check, said so in the warning) only when the
   * validation span is too short to split.
   */
  heldOut: boolean;
  /** The model's RMSE over every step of every validation window, in target units. */
  rmse: number;
  /** The naive forecast's RMSE on the same points. */
  naiveRmse: number;
  /** rmse / naiveRmse: below 1 the model beats naive. */
  theilU: number;
  /** Set when the model is worse than naive by more than 5%: say so wherever the forecast is shown. */
  warning?: string;
}

/** Worse than naive by more than this share triggers the warning. */
export const NAIVE_TOLERANCE = 0.05;

/** Squared errors of the model and of the naive forecast over validation points, summed as they come. @internal */
export interface CheckSums {
  /** Windows compared. */
  windows: number;
  /** Points (window x step) compared. */
  points: number;
  /** Sum of the model's squared errors. */
  model: number;
  /** Sum of the naive forecast's squared errors on the same points. */
  naive: number;
}

/**
 * Adds one series' validation windows to the sums (a panel adds every symbol's, pooled in target units as the panel
 * backtest pools them).
 * @param sums - the sums so far (updated)
 * @param actual - the target column
 * @param origins - each window's first target row
 * @param predicted - [origins, horizon] forecasts in target units
 * @param horizon - H
 * @internal
 */
export function addToCheck(
  sums: CheckSums,
  actual: ArrayLike<number>,
  origins: ArrayLike<number>,
  predicted: ArrayLike<number>,
  horizon: number,
): CheckSums {
  for (let w = 0; w < origins.length; w++) {
    const t = origins[w];
    for (let h = 0; h < horizon; h++) {
      sums.model += (actual[t + h] - predicted[w * horizon + h]) ** 2;
      sums.naive += (actual[t + h] - actual[t - 1]) ** 2;
    }
  }
  sums.windows += origins.length;
  sums.points += origins.length * horizon;
  return sums;
}

/**
 * The check from pooled sums: RMSEs, Theil's U, and the warning when the model is worse than naive.
 * @param sums - from {@link addToCheck}
 * @param heldOut - whether the windows selected nothing (see {@link ValidationCheck.heldOut})
 * @internal
 */
export function checkFromSums(sums: CheckSums, heldOut: boolean): ValidationCheck {
  const rmse = Math.sqrt(sums.model / sums.points);
  const naiveRmse = Math.sqrt(sums.naive / sums.points);
  const theilU = rmse / naiveRmse;
  const check: ValidationCheck = { windows: sums.windows, heldOut, rmse, naiveRmse, theilU };
  if (theilU > 1 + NAIVE_TOLERANCE) {
    const where = heldOut
      ? 'on validation windows that chose nothing'
      : 'in-sample, on the validation windows that chose the epoch';
    check.warning =
      `the model is worse than the naive forecast (the last value) ${where}: RMSE ${rmse.toPrecision(4)} vs ` +
      `${naiveRmse.toPrecision(4)} (Theil's U ${theilU.toFixed(2)}); prefer naive, or change the model`;
  }
  return check;
}

/**
 * Compares validation forecasts with the naive forecast on the same windows.
 * @param actual - the target column
 * @param origins - each window's first target row
 * @param predicted - [origins, horizon] forecasts in target units
 * @param horizon - H
 * @param heldOut - whether the windows selected nothing (see {@link ValidationCheck.heldOut})
 * @internal
 */
export function validationCheck(
  actual: Float64Array,
  origins: ArrayLike<number>,
  predicted: ArrayLike<number>,
  horizon: number,
  heldOut = true,
): ValidationCheck {
  const sums = addToCheck({ windows: 0, points: 0, model: 0, naive: 0 }, actual, origins, predicted, horizon);
  return checkFromSums(sums, heldOut);
}

/** Validation windows split in two: the earlier ones select (early stopping), the later ones calibrate. @internal */
export function splitValidation(windows: Windows): { selection: Windows; calibration: { count: number } } {
  const half = Math.floor(windows.count / 2);
  // Calibration windows start after the last target row any selection window scores.
  const lastSelected = windows.targetIndex[half - 1] + windows.horizon - 1;
  let from = half;
  while (from < windows.count && windows.targetIndex[from] <= lastSelected) from++;
  return { selection: sliceWindows(windows, 0, half), calibration: { count: windows.count - from } };
}

function sliceWindows(w: Windows, from: number, to: number): Windows {
  const F = w.features.length;
  const count = to - from;
  return {
    ...w,
    x: w.x.subarray(from * w.lookback * F, to * w.lookback * F),
    y: w.y.subarray(from * w.horizon, to * w.horizon),
    count,
    targetIndex: w.targetIndex.subarray(from, to),
    targetTimestamps: w.targetTimestamps.subarray(from, to),
    xShape: [count, w.lookback, F],
    yShape: [count, w.horizon],
  };
}

/**
 * Split-conformal half-widths per horizon step from the absolute errors on calibration windows.
 * @internal
 */
export function calibrationWidths(actual: Float64Array, origins: ArrayLike<number>, predicted: ArrayLike<number>, horizon: number, coverage: number): Float64Array {
  const residuals = Array.from({ length: horizon }, (_, h) => Float64Array.from({ length: origins.length }, (_, w) => Math.abs(actual[origins[w] + h] - predicted[w * horizon + h])));
  return conformalWidths(residuals, coverage);
}

/**
 * The check against naive and the conformal widths, on the validation windows that selected nothing (the later
 * ones of a split); with too few windows to split (or none after the selection span), on all of them, and the
 * check says it is in-sample.
 * @param predict - forecasts in target units at origins of `windows`' series
 * @param actual - that series' target column
 * @param windows - the validation windows
 * @param split - how early stopping split them, if it did
 * @param o - horizon, and coverage for intervals
 * @internal
 */
export async function checkOnValidation(
  predict: (origins: ArrayLike<number>) => Promise<Float64Array>,
  actual: Float64Array,
  windows: Windows,
  split: ReturnType<typeof splitValidation> | undefined,
  o: { horizon: number; coverage?: number | undefined },
): Promise<{ validation: ValidationCheck; interval: PredictionInterval | undefined }> {
  const heldOut = !split || split.calibration.count > 0;
  const from = split && heldOut ? windows.count - split.calibration.count : 0;
  const origins = windows.targetIndex.subarray(from);
  const predicted = await predict(origins);
  const validation = validationCheck(actual, origins, predicted, o.horizon, heldOut);
  if (o.coverage === undefined) return { validation, interval: undefined };
  const widths = calibrationWidths(actual, origins, predicted, o.horizon, o.coverage);
  return { validation, interval: { widths, coverage: o.coverage } };
}
