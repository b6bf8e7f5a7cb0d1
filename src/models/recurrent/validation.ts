/**
 * What a forecaster learns from its validation windows once trained: how it compares with the naive forecast on
 * them (in target units), and the split-conformal widths of its prediction intervals.
 */
import type { Windows } from '../../prep/windows.js';
import { DataError } from '../../errors.js';
import { dieboldMarianoPanel, type PanelLossDifferential } from '../../stats/diebold-mariano.js';
import { overlapHorizon, verdict } from '../../stats/verdict.js';
import { conformalWidths } from '../probabilistic/conformal.js';
import type { PredictionInterval } from './forecast.js';

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

/** Squared errors of the model and of the naive forecast over validation points, gathered as they come. @internal */
export interface CheckSums {
  /** Windows compared. */
  windows: number;
  /** Points (window x step) compared. */
  points: number;
  /** Sum of the model's squared errors. */
  model: number;
  /** Sum of the naive forecast's squared errors on the same points. */
  naive: number;
  /** Per window: the model's squared error minus naive's, averaged over its steps, at the window's date. */
  differentials: PanelLossDifferential[];
  /** Dates between consecutive windows (1 unless a series' windows are sparser), for the test's overlap. */
  spacing: number;
}

/** Empty sums. @internal */
export function emptyCheck(spacing = 1): CheckSums {
  return { windows: 0, points: 0, model: 0, naive: 0, differentials: [], spacing };
}

/**
 * Adds one series' validation windows to the sums (a panel adds every symbol's, pooled in target units as the panel
 * backtest pools them).
 * @param sums - the sums so far (updated)
 * @param actual - the target column
 * @param origins - each window's first target row
 * @param predicted - [origins, horizon] forecasts in target units
 * @param horizon - H
 * @param dates - each window's date (its rows on one series; timestamps on a panel, whose dates the test pools)
 * @internal
 */
export function addToCheck(
  sums: CheckSums,
  actual: ArrayLike<number>,
  origins: ArrayLike<number>,
  predicted: ArrayLike<number>,
  horizon: number,
  dates: ArrayLike<number> = origins,
): CheckSums {
  for (let w = 0; w < origins.length; w++) {
    const t = origins[w];
    let differential = 0;
    for (let h = 0; h < horizon; h++) {
      const m = (actual[t + h] - predicted[w * horizon + h]) ** 2;
      const n = (actual[t + h] - actual[t - 1]) ** 2;
      sums.model += m;
      sums.naive += n;
      differential += (m - n) / horizon;
    }
    sums.differentials.push({ timestamp: dates[w], differential });
  }
  sums.windows += origins.length;
  sums.points += origins.length * horizon;
  return sums;
}

/**
 * The check from the sums: RMSEs, Theil's U, the Diebold-Mariano test against naive (on a panel, pooled by date)
 * and the warning when the model loses to naive by it.
 * @param sums - from {@link addToCheck}
 * @param horizon - H
 * @param heldOut - whether the windows selected nothing (see {@link ValidationCheck.heldOut})
 * @internal
 */
export function checkFromSums(sums: CheckSums, horizon: number, heldOut: boolean): ValidationCheck {
  const rmse = Math.sqrt(sums.model / sums.points);
  const naiveRmse = Math.sqrt(sums.naive / sums.points);
  const theilU = rmse / naiveRmse;
  const check: ValidationCheck = { windows: sums.windows, heldOut, rmse, naiveRmse, theilU };
  const test = naiveTest(sums, horizon);
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
  const spacing = origins.length > 1 ? origins[1] - origins[0] : 1;
  const sums = addToCheck(emptyCheck(spacing), actual, origins, predicted, horizon);
  return checkFromSums(sums, horizon, heldOut);
}

/** The Diebold-Mariano test on the windows' loss differentials (averaged by date), or undefined when it cannot run. */
function naiveTest(sums: CheckSums, horizon: number): ValidationTest | undefined {
  // Windows whose targets overlap share shocks: the long-run variance takes as many lags as they overlap.
  const dates = new Set(sums.differentials.map((d) => d.timestamp)).size;
  const h = Math.min(overlapHorizon(horizon, sums.spacing), dates);
  try {
    const { statistic, pValue } = dieboldMarianoPanel(sums.differentials, { horizon: h });
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
export function calibrationWidths(
  actual: Float64Array,
  origins: ArrayLike<number>,
  predicted: ArrayLike<number>,
  horizon: number,
  coverage: number,
): Float64Array {
  const residuals = Array.from({ length: horizon }, (_, h) =>
    Float64Array.from({ length: origins.length }, (_, w) =>
      Math.abs(actual[origins[w] + h] - predicted[w * horizon + h]),
    ),
  );
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
