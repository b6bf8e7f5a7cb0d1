/** Chronological train/validation/test splits by fraction, count or date, and the leakage-free windows of each part. */
import { z } from 'zod';
import { DataError } from '../errors.js';
import type { Series } from '../data/series.js';
import { parseOptions } from '../validate.js';

const Part = z.union([z.number().positive(), z.date(), z.iso.date(), z.iso.datetime({ offset: true })]);

/** Options of {@link chronologicalSplit}: each part is a fraction in (0, 1), a row count (integer >= 1), or its last date (inclusive). */
export const SplitOptionsSchema = z
  .object({
    /** Training part: fraction, count, or last date. */
    train: Part,
    /** Validation part, right after training. */
    validation: Part.optional(),
    /** Test part, right after validation (default: all remaining rows). */
    test: Part.optional(),
  })
  .strict();

/** Options of {@link chronologicalSplit}, as accepted. */
export type SplitOptions = z.input<typeof SplitOptionsSchema>;

/** Rows [start, end) of the series that a part covers. */
export interface SplitRange {
  /** First row (inclusive). */
  start: number;
  /** Last row (exclusive). */
  end: number;
}

/** The row ranges of the parts; consecutive and non-overlapping. */
export interface SplitRanges {
  /** Training rows. */
  train: SplitRange;
  /** Validation rows, when asked for. */
  validation?: SplitRange;
  /** Test rows, when any. */
  test?: SplitRange;
}

/** A chronological split: the parts as Series and the row ranges they cover. */
export interface ChronologicalSplit {
  /** Training rows. */
  train: Series;
  /** Validation rows, when asked for. */
  validation?: Series;
  /** Test rows, when any remain or were asked for. */
  test?: Series;
  /** Row ranges of each part in the original series; consecutive and non-overlapping. */
  ranges: SplitRanges;
}

function endOf(series: Series, start: number, part: z.output<typeof Part>, name: string): number {
  const n = series.length;
  let end: number;
  if (typeof part === 'number') {
    if (part < 1) end = start + Math.floor(n * part);
    else if (Number.isInteger(part)) end = start + part;
    else throw new DataError(`${name} must be a fraction below 1 or a whole row count: received ${part}`);
  } else {
    const at = part instanceof Date ? part.getTime() : Date.parse(part.length === 10 ? `${part}T00:00:00Z` : part);
    end = series.indexAtOrAfter(at + 1);
  }
  if (end <= start)
    throw new DataError(
      `${name} is empty: it would cover rows [${start}, ${end}) of ${n}`,
      {},
      { hint: 'give it a larger fraction, count or a later date' },
    );
  if (end > n) throw new DataError(`${name} needs rows up to ${end} but the series has ${n}`);
  return end;
}

/**
 * Splits a series in time order into consecutive, non-overlapping train, validation and test parts.
 * Fit scalers and models on `train` only; use {@link prepareWindows} to get windows whose validation and
 * test inputs may read the lookback rows before their part but whose targets never leave it.
 *
 * @param series - the series
 * @param options - see {@link SplitOptionsSchema}
 * @returns the parts and their row ranges
 * @throws {@link DataError} when a part would be empty or run past the end
 * @throws {@link ValidationError} for malformed options
 * @example
 * ```ts
 * import { chronologicalSplit, readCsv } from 'stockcast';
 * const s = await readCsv('fixtures/sp500-2000.csv');
 * const { train, validation, test } = chronologicalSplit(s, { train: 0.7, validation: 0.15 });
 * const byDate = chronologicalSplit(s, { train: '2015-12-31', validation: 250 });
 * ```
 */
export function chronologicalSplit(series: Series, options: SplitOptions): ChronologicalSplit {
  const o = parseOptions(SplitOptionsSchema, options, 'split options');
  const trainEnd = endOf(series, 0, o.train, 'train');
  const ranges: SplitRanges = { train: { start: 0, end: trainEnd } };
  let cursor = trainEnd;
  if (o.validation !== undefined) {
    ranges.validation = { start: cursor, end: endOf(series, cursor, o.validation, 'validation') };
    cursor = ranges.validation.end;
  }
  if (o.test !== undefined) ranges.test = { start: cursor, end: endOf(series, cursor, o.test, 'test') };
  else if (cursor < series.length) ranges.test = { start: cursor, end: series.length };
  return {
    train: series.slice(0, trainEnd),
    ...(ranges.validation ? { validation: series.slice(ranges.validation.start, ranges.validation.end) } : {}),
    ...(ranges.test ? { test: series.slice(ranges.test.start, ranges.test.end) } : {}),
    ranges,
  };
}
