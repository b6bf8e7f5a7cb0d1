/** HAR's components as input features: trailing daily, weekly and monthly means of a measure, from rows <= t only. */
import { z } from 'zod';
import type { Series } from '../data/series.js';
import { DataError } from '../errors.js';
import { parseOptions } from '../validate.js';
import { vocabulary as v } from '../vocabulary.js';

/**
 * The mean of the last `span` values ending at each row (NaN before row span - 1).
 * @param x - the values
 * @param span - values averaged
 * @returns one mean per row
 * @internal
 */
export function trailingMean(x: ArrayLike<number>, span: number): Float64Array {
  if (span === 1) return Float64Array.from(x);
  const out = new Float64Array(x.length);
  let sum = 0;
  for (let t = 0; t < x.length; t++) {
    sum += x[t];
    if (t >= span) sum -= x[t - span];
    // A running sum, rebuilt exactly every 1024 rows so rounding does not accumulate.
    if (t >= span && t % 1024 === 0) {
      sum = 0;
      for (let i = t - span + 1; i <= t; i++) sum += x[i];
    }
    out[t] = t >= span - 1 ? sum / span : Number.NaN;
  }
  return out;
}

/** Options of {@link addHarComponents}. */
export const HarComponentsOptionsSchema = z
  .object({
    /** The realized measure averaged (default `rv`, else the only column). */
    target: v.target.optional(),
    /** The daily, weekly and monthly spans (default [1, 5, 22]). */
    spans: v.spans.withDefault(),
    /** Prefix of the new columns (default the measure's name: `rvMean1`, `rvMean5`, `rvMean22`). */
    name: v.name.optional(),
  })
  .strict()
  .refine((o) => o.spans[0] < o.spans[1] && o.spans[1] < o.spans[2], {
    message: 'spans must increase, e.g. [1, 5, 22]',
    path: ['spans'],
  });

/** Options of {@link addHarComponents}, as accepted. */
export type HarComponentsOptions = z.input<typeof HarComponentsOptionsSchema>;

/** The outcome of {@link addHarComponents}. */
export interface HarComponentsResult {
  /** The rows with a full monthly mean, every column kept and the three new ones added. */
  series: Series;
  /** The new columns, daily first. */
  columns: [string, string, string];
  /** Leading rows dropped for lack of history (spans[2] - 1). */
  droppedLeading: number;
}

/**
 * Adds HAR's components of a realized measure as columns: at row t the means of the measure over the last s1, s2
 * and s3 rows (default 1, 5, 22: day, week, month), rows <= t only, so a forecaster can read them as `features`
 * (a backtest may use them: no column reads a later row). The first spans[2] - 1 rows have no monthly mean and are
 * dropped, never filled. For a network on log variances, add the components of the log column.
 *
 * @param series - daily data with the measure
 * @param options - see {@link HarComponentsOptionsSchema}
 * @returns the shortened series with the new columns, their names and the rows dropped
 * @throws {@link ValidationError} for invalid options
 * @throws {@link DataError} when the measure is missing, or the series has no row with a full monthly mean
 * @example
 * ```ts
 * import { addHarComponents, Series } from 'stockcast';
 * const rv = Array.from({ length: 30 }, (_, i) => 1e-4 * (1 + (i % 4)));
 * const daily = Series.create({ timestamps: rv.map((_, i) => i * 86400000), columns: { rv } });
 * const { series, columns } = addHarComponents(daily);
 * columns; // ['rvMean1', 'rvMean5', 'rvMean22']
 * series.length; // 9
 * ```
 */
export function addHarComponents(series: Series, options: HarComponentsOptions = {}): HarComponentsResult {
  const o = parseOptions(HarComponentsOptionsSchema, options, 'HAR component options');
  const target = o.target ?? (series.has('rv') ? 'rv' : series.columns.length === 1 ? series.columns[0] : undefined);
  if (target === undefined)
    throw new DataError(
      `no target given and no "rv" column: the series has ${series.columns.map((c) => `"${c}"`).join(', ')}`,
      {},
      { hint: 'pass target: the realized measure to average' },
    );
  const x = series.columnRef(target);
  const first = o.spans[2] - 1;
  if (series.length <= first)
    throw new DataError(`a ${o.spans[2]}-row mean needs at least ${o.spans[2]} rows: received ${series.length}`);
  const prefix = o.name ?? target;
  const columns = o.spans.map((s) => `${prefix}Mean${s}`) as [string, string, string];
  let out = series.slice(first);
  o.spans.forEach((s, k) => {
    out = out.withColumn(columns[k], trailingMean(x, s).subarray(first));
  });
  return { series: out, columns, droppedLeading: first };
}
