/** The leakage-free preparation pipeline: split, fit the scaler on the training rows only, scale, and window each part. */
import type { Series } from '../data/series.js';
import { createScaler, type Scaler, type ScalerKind } from './scalers.js';
import { chronologicalSplit, type SplitOptions, type SplitRange, type SplitRanges } from './split.js';
import { makeWindows, type WindowOptions, type Windows } from './windows.js';

/** Options of {@link prepareWindows}. */
export interface PrepareOptions {
  /** How to split the series. */
  split: SplitOptions;
  /** How to window it (the `start`/`end` limits are set per part). */
  window: Omit<WindowOptions, 'start' | 'end'>;
  /** Scaler fitted on the training rows of the feature and target columns (default `minmax`), or `none`. */
  scaler?: ScalerKind | 'none';
}

/** Scaled windows for each part, and the scaler that made them. */
export interface PreparedWindows {
  /** The scaler, fitted on the training rows only; undefined for `none`. */
  scaler: Scaler | undefined;
  /** Training windows: every target lies in the training rows. */
  train: Windows;
  /** Validation windows: targets in the validation rows; inputs may read the rows just before. */
  validation?: Windows;
  /** Test windows: targets in the test rows; inputs may read the rows just before. */
  test?: Windows;
  /** The row ranges of the parts. */
  ranges: SplitRanges;
}

/**
 * Splits chronologically, fits the scaler on the training rows alone, scales the whole series with it, and
 * windows each part so that no training target lies in validation or test rows and no statistic sees them.
 *
 * @param series - the series
 * @param options - split, window and scaler options
 * @returns the windows of each part and the fitted scaler
 * @throws {@link DataError} when a part is too short for one window
 * @throws {@link ValidationError} for invalid options
 * @example
 * ```ts
 * import { prepareWindows, readCsv } from 'stockcast';
 * const s = await readCsv('fixtures/sp500-2000.csv');
 * const p = prepareWindows(s, { split: { train: 0.8 }, window: { lookback: 30, target: 'close' }, scaler: 'standard' });
 * p.train.xShape; // [4054, 30, 1]
 * ```
 */
export function prepareWindows(series: Series, options: PrepareOptions): PreparedWindows {
  const { ranges } = chronologicalSplit(series, options.split);
  const columns = [...new Set([...(options.window.features ?? []), options.window.target])];
  const used = series.select(columns);
  const scaler =
    options.scaler === 'none'
      ? undefined
      : createScaler(options.scaler ?? 'minmax').fit(used.slice(0, ranges.train.end));
  const scaled = scaler ? scaler.transform(used) : used;
  const part = (r: SplitRange) => makeWindows(scaled, { ...options.window, start: r.start, end: r.end });
  return {
    scaler,
    train: part(ranges.train),
    ...(ranges.validation ? { validation: part(ranges.validation) } : {}),
    ...(ranges.test ? { test: part(ranges.test) } : {}),
    ranges,
  };
}
