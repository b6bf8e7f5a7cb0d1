/**
 * What a forecaster learns from its validation windows once trained: how it compares with the naive forecast on
 * them (in target units), and the split-conformal widths of its prediction intervals.
 */
import type { Windows } from '../../prep/windows.js';
import { DataError } from '../../errors.js';
import { dieboldMarianoLoss } from '../../stats/diebold-mariano.js';
import { overlapHorizon, verdict } from '../../stats/verdict.js';
import { conformalWidths } from '../probabilistic/conformal.js';

/** A Diebold-Mariano test of the model against naive on its validation windows. */
export interface ValidationTest {
  /** The statistic: negative when the model has the smaller squared error. */
  statistic: number;
  /** The two-sided p-value; below 0.05 the model beats or loses to naive. */
  pValue: number;
}

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
  /** rmse / naiveRmse: below 1 the model has the smaller RMSE (a verdict needs `dieboldMariano`). */
  theilU: number;
  /**
   * The Diebold-Mariano test of the model against naive on squared error, each window's loss averaged over its steps
   * (negative statistic: the model is better); absent when the windows are too few or the losses never differ.
   */
  dieboldMariano?: ValidationTest;
  /** Set when the model loses to naive (Diebold-Mariano p-value below 0.05): say so wherever the forecast is shown. */
  warning?: string;
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
  let model = 0;
  let naive = 0;
  // Per window: the model's squared error minus naive's, averaged over the window's steps.
  const differentials = new Float64Array(origins.length);
  for (let w = 0; w < origins.length; w++) {
    const t = origins[w];
    for (let h = 0; h < horizon; h++) {
      const m = (actual[t + h] - predicted[w * horizon + h]) ** 2;
      const n = (actual[t + h] - actual[t - 1]) ** 2;
      model += m;
      naive += n;
      differentials[w] += (m - n) / horizon;
    }
  }
  const n = origins.length * horizon;
  const rmse = Math.sqrt(model / n);
  const naiveRmse = Math.sqrt(naive / n);
  const theilU = rmse / naiveRmse;
  const check: ValidationCheck = { windows: origins.length, heldOut, rmse, naiveRmse, theilU };
  const test = naiveTest(differentials, origins, horizon);
  if (test) check.dieboldMariano = test;
  if (verdict(test) === 'loses to') {
    const where = heldOut
      ? 'on validation windows that chose nothing'
      : 'in-sample, on the validation windows that chose the epoch';
    check.warning =
      `the model loses to the naive forecast (the last value) ${where}: RMSE ${rmse.toPrecision(4)} vs ` +
      `${naiveRmse.toPrecision(4)} (Theil's U ${theilU.toFixed(2)}, Diebold-Mariano p-value ` +
      `${test!.pValue.toPrecision(2)}); prefer naive, or change the model`;
  }
  return check;
}

/** The Diebold-Mariano test on the windows' loss differentials, or undefined when it cannot be run. */
function naiveTest(
  differentials: Float64Array,
  origins: ArrayLike<number>,
  horizon: number,
): ValidationTest | undefined {
  // Windows whose targets overlap share shocks: the long-run variance takes as many lags as they overlap.
  const spacing = origins.length > 1 ? origins[1] - origins[0] : 1;
  const h = Math.min(overlapHorizon(horizon, spacing), differentials.length);
  try {
    const { statistic, pValue } = dieboldMarianoLoss(differentials, { horizon: h });
    return { statistic, pValue };
  } catch (e) {
    if (e instanceof DataError) return undefined;
    throw e;
  }
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
