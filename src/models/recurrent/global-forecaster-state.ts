/** A global forecaster's fitted state, and what saving it writes: weights, options, scalers, symbols, calibration. */
import type { ExchangeCalendar } from '../../data/calendar/calendar.js';
import type { Scaler } from '../../prep/scalers.js';
import type { RecurrentEngine } from '../engines/engine.js';
import type { RecurrentSpec } from '../engines/weights.js';
import type { SavedModel } from '../persistence/persistence.js';
import type { GlobalCalibration } from './global-calibration.js';
import type { ResolvedGlobalForecasterOptions } from './global-forecaster-options.js';
import { plainOptions } from '../../util/plain-options.js';

/** The fitted state persistence reads and puts back. @internal */
export interface GlobalState {
  engine: RecurrentEngine | undefined;
  scalers: Map<string, Scaler>;
  symbols: string[];
  target: string | undefined;
  calendar: ExchangeCalendar | undefined;
  calibration: GlobalCalibration;
}

/** What save and toBytes write (the calendar as its definition; callbacks and signals dropped). @internal */
export function globalPayload(
  state: GlobalState & { engine: RecurrentEngine; target: string },
  options: ResolvedGlobalForecasterOptions,
  spec: RecurrentSpec,
): SavedModel {
  const { calendar: _, ...plain } = plainOptions(options);
  const { shifts, widths } = state.calibration;
  return {
    kind: 'global-forecaster',
    spec,
    weights: state.engine.getWeights(),
    payload: {
      options: { ...plain, target: state.target },
      symbols: state.symbols,
      scalers: Object.fromEntries([...state.scalers].map(([symbol, scaler]) => [symbol, scaler.toJSON()])),
      calendar: state.calendar ? state.calendar.toJSON() : null,
      quantileShifts: shifts ? shifts.map((q) => Array.from(q)) : null,
      intervalWidths: widths ? Array.from(widths) : null,
    },
  };
}
