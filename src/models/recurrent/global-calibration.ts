/**
 * What a global forecaster learns from its held-out dates once trained, pooled across symbols: CQR shifts of its
 * quantiles on the calibration dates and split-conformal widths of its intervals on the validation dates (both in
 * the units the network reads, scaled and relative to each window's last value, so symbols of any price level
 * pool), and the check against naive (in target units, as the panel backtest pools its metrics). Also turns the
 * network's outputs into forecasts in target units.
 */
import { DataError } from '../../errors.js';
import type { Panel } from '../../data/panel.js';
import type { PanelWindowIndex, PanelWindowShape, PanelWindowSource } from '../../prep/panel-windows.js';
import type { Scaler } from '../../prep/scalers.js';
import type { RecurrentEngine } from '../engines/engine.js';
import { conformalWidths } from '../probabilistic/conformal.js';
import { applyCqr, cqrCalibrate } from '../probabilistic/conformal-quantiles.js';
import { rawToQuantiles } from '../probabilistic/quantile-head.js';
import { pointFromQuantiles } from './forecaster-quantiles.js';
import type { ResolvedGlobalForecasterOptions } from './global-forecaster-options.js';
import { panelOutputs, windowsBetween, type PanelOutputs, type PanelSpans } from './global-windows.js';
import { addToCheck, checkFromSums, emptyCheck, type ValidationCheck } from './validation.js';

/** A global forecaster's calibration, in the network's units. */
export interface GlobalCalibration {
  /** CQR parameters per step (`calibration` with `quantiles`). */
  shifts?: Float64Array[];
  /** Split-conformal half-widths per step (`coverage`). */
  widths?: Float64Array;
}

/** What turns outputs into forecasts. @internal */
export interface ForecastContext {
  options: ResolvedGlobalForecasterOptions;
  target: string;
  /** By symbol number. */
  scalers: ReadonlyArray<Scaler | undefined>;
  calibration: GlobalCalibration;
}

/** Forecasts in target units, [count, horizon] (quantiles [count, horizon, levels]). @internal */
export interface GlobalForecastValues {
  values: Float64Array;
  quantiles?: Float64Array;
  lower?: Float64Array;
  upper?: Float64Array;
}

/** Network units to target units, window by window: the window's anchor, then its symbol's scaler inverse. */
function toUnits(v: Float64Array, per: number, out: PanelOutputs, c: ForecastContext): Float64Array {
  const result = new Float64Array(v.length);
  for (let w = 0; w < out.count; w++) {
    const part = v.subarray(w * per, (w + 1) * per);
    const anchored = out.anchor ? part.map((p) => (p + 1) * out.anchor![w]) : part;
    const scaler = c.scalers[out.symbol[w]];
    result.set(scaler ? scaler.inverseTransformColumn(anchored, c.target) : anchored, w * per);
  }
  return result;
}

/**
 * The network's outputs as forecasts in target units: quantiles made non-crossing and shifted by CQR (both in
 * network units; the anchor and the scaler are increasing maps, so the order is kept), the point forecast, and
 * the interval around it. @internal
 */
export function globalForecasts(out: PanelOutputs, c: ForecastContext): GlobalForecastValues {
  const H = c.options.horizon;
  const levels = c.options.quantiles;
  if (levels) {
    const q = rawToQuantiles(out.raw, levels.length);
    if (c.calibration.shifts) applyCqr(q, c.calibration.shifts, levels.length);
    const values = toUnits(pointFromQuantiles(q, levels), H, out, c);
    return { values, quantiles: toUnits(q, H * levels.length, out, c) };
  }
  const point = Float64Array.from(out.raw);
  const values = toUnits(point, H, out, c);
  const widths = c.calibration.widths;
  if (!widths) return { values };
  const lower = toUnits(
    point.map((p, i) => p - widths[i % H]),
    H,
    out,
    c,
  );
  const upper = toUnits(
    point.map((p, i) => p + widths[i % H]),
    H,
    out,
    c,
  );
  return { values, lower, upper };
}

/** What {@link calibrateGlobal} reads. @internal */
export interface CalibrationInput {
  panel: Panel;
  sources: readonly PanelWindowSource[];
  shape: PanelWindowShape;
  spans: PanelSpans;
  options: ResolvedGlobalForecasterOptions;
  target: string;
  scalers: ReadonlyArray<Scaler | undefined>;
}

/**
 * CQR on the calibration dates' windows, pooled across symbols. A final fit never trains on those dates, so the
 * model after it is calibrated on them again. @internal
 */
export async function cqrShifts(
  engine: RecurrentEngine,
  c: Pick<CalibrationInput, 'sources' | 'shape' | 'spans' | 'options'>,
  levels: number[],
): Promise<Float64Array[]> {
  const index = windowsBetween(c.spans, c.shape, c.spans.fitEnd, c.spans.lengths);
  if (!index) {
    const hint = 'give a larger calibration fraction, a shorter lookback, or more data';
    const message = `calibration ${c.options.calibration}: no symbol has a complete window in the calibration dates`;
    throw new DataError(message, {}, { hint });
  }
  const out = await panelOutputs(engine, c.sources, c.shape, index);
  return cqrCalibrate(rawToQuantiles(out.raw, levels.length), out.y, levels, c.options.horizon);
}

/**
 * The windows that check the model: with early stopping, the later validation windows, which selected nothing
 * (`heldOut`); when the validation dates are too few to split, all of them (in-sample, said so).
 */
function checkWindows(c: CalibrationInput): { index: PanelWindowIndex; heldOut: boolean } | undefined {
  const { spans, shape } = c;
  const all = windowsBetween(spans, shape, spans.trainEnd, spans.fitEnd);
  if (c.options.earlyStopping === false) return all && { index: all, heldOut: true };
  const later = spans.split ? windowsBetween(spans, shape, spans.selectionEnd, spans.fitEnd) : undefined;
  return later ? { index: later, heldOut: true } : all && { index: all, heldOut: false };
}

/**
 * Calibrates a trained global forecaster on its held-out dates: CQR shifts (quantiles with `calibration`), then,
 * on the check windows, the pooled check against naive and (with `coverage`) conformal widths.
 * @internal
 */
export async function calibrateGlobal(
  engine: RecurrentEngine,
  c: CalibrationInput,
): Promise<{ calibration: GlobalCalibration; validation?: ValidationCheck }> {
  const o = c.options;
  const calibration: GlobalCalibration = {};
  if (o.quantiles && o.calibration !== undefined) calibration.shifts = await cqrShifts(engine, c, o.quantiles);
  const check = c.spans.validation ? checkWindows(c) : undefined;
  if (!check) return { calibration };
  const out = await panelOutputs(engine, c.sources, c.shape, check.index);
  const H = o.horizon;
  const f = globalForecasts(out, { options: o, target: c.target, scalers: c.scalers, calibration });
  const sums = emptyCheck();
  const series = c.panel.symbols.map((s) => c.panel.get(s));
  const actual = series.map((s) => s.columnRef(c.target));
  for (let w = 0; w < out.count; w++) {
    const [k, row] = [out.symbol[w], out.row[w]];
    const date = [series[k].timestamps[row]];
    addToCheck(sums, actual[k], [row], f.values.subarray(w * H, (w + 1) * H), H, date);
  }
  if (o.coverage !== undefined) {
    // Absolute residuals of the point forecast in network units, one array per step.
    const residual = (h: number) =>
      Float64Array.from({ length: out.count }, (_, w) => Math.abs(out.y[w * H + h] - out.raw[w * H + h]));
    calibration.widths = conformalWidths(
      Array.from({ length: H }, (_, h) => residual(h)),
      o.coverage,
    );
  }
  return { calibration, validation: checkFromSums(sums, H, check.heldOut) };
}
