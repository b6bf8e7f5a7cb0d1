/** What the forecaster writes when saved, and its recursive forecast: parts that read a fitted forecaster. */
import { DataError } from '../../errors.js';
import { futureTimestamps } from '../../data/frequency.js';
import { Series } from '../../data/series.js';
import type { Scaler } from '../../prep/scalers.js';
import { plainOptions } from '../../util/plain-options.js';
import type { RecurrentEngine } from '../engines/engine.js';
import type { RecurrentSpec } from '../engines/weights.js';
import type { SavedModel } from '../persistence/persistence.js';
import type { DataSignature, Forecast, PredictionInterval } from './forecast.js';
import type { ResolvedForecasterOptions } from './forecaster-options.js';

/** A fitted forecaster's state, as saving reads it. @internal */
export interface ForecasterState {
  engine: RecurrentEngine;
  spec: RecurrentSpec;
  options: ResolvedForecasterOptions;
  target: string;
  scaler: Scaler | undefined;
  signature: DataSignature | undefined;
  interval: PredictionInterval | undefined;
  shifts: Float64Array[] | undefined;
}

/** What save and toBytes write: topology, weights, scaler, options, signature and calibration. @internal */
export function forecasterPayload(m: ForecasterState): SavedModel {
  const { validation, ...options } = plainOptions(m.options);
  return {
    kind: 'forecaster',
    spec: m.spec,
    weights: m.engine.getWeights(),
    payload: {
      // A validation Series is not saved; the interval it calibrated is (as widths), so the saved options drop it.
      options: {
        ...options,
        target: m.target,
        ...(typeof validation === 'number' ? { validation } : { coverage: undefined }),
      },
      scaler: m.scaler?.toJSON() ?? null,
      signature: m.signature ?? null,
      interval: m.interval ? { widths: Array.from(m.interval.widths), coverage: m.interval.coverage } : null,
      quantileShifts: m.shifts ? m.shifts.map((q) => Array.from(q)) : null,
    },
  };
}

/** What a recursive forecast reads of a fitted forecaster. @internal */
export interface RecursiveForecaster {
  target: string;
  features: string[];
  options: { lookback: number };
  predictAt(series: Series, origins: ArrayLike<number>): Promise<Float64Array>;
}

/**
 * Forecasts `steps` values ahead recursively: each forecast is appended as if observed, then the model predicts
 * again (see `RecurrentForecaster.forecast`). @internal
 */
export async function recursiveForecast(m: RecursiveForecaster, series: Series, steps: number): Promise<Forecast> {
  if (!Number.isInteger(steps) || steps < 1) throw new DataError(`steps must be a positive integer: received ${steps}`);
  const others = m.features.filter((f) => f !== m.target);
  if (others.length > 0) {
    const hint = 'use predict(), or train with features: [target]';
    const unknown = `${others.join(', ')} would be unknown in the future`;
    const message = `recursive forecasting needs the target as the only feature; ${unknown}`;
    throw new DataError(message, {}, { hint });
  }
  const future = futureTimestamps(series.lastTimestamp, { ...series.frequencyInfo, steps });
  const L = m.options.lookback;
  let history = series.select([m.target]).slice(-L);
  const values = new Float64Array(steps);
  for (let done = 0; done < steps; ) {
    const next = (await m.predictAt(history, [history.length])).subarray(0, steps - done);
    values.set(next, done);
    const ts = Float64Array.from([...history.timestamps, ...future.subarray(done, done + next.length)]);
    const columns = { [m.target]: [...history.columnRef(m.target), ...next] };
    history = Series.create({ timestamps: ts, columns, meta: { ...series.meta } }).slice(-L);
    done += next.length;
  }
  return { target: m.target, origin: series.lastTimestamp, timestamps: future, values };
}
