/** Realized-volatility estimators from OHLC prices (close-to-close, Parkinson, Garman-Klass, Yang-Zhang) and log volume, each value from rows <= t only. */
import { z } from 'zod';
import { DataError } from '../errors.js';
import { periodsPerYear as defaultPeriodsPerYear } from '../data/frequency.js';
import type { Series } from '../data/series.js';
import { parseOptions } from '../validate.js';
import { vocabulary as v } from '../vocabulary.js';

/** The realized-volatility estimators. */
export const VolatilityEstimatorSchema = v.estimator.schema;
/** A realized-volatility estimator. */
export type VolatilityEstimator = z.infer<typeof VolatilityEstimatorSchema>;

/** Price arrays an estimator reads: `close` for close-to-close; `high`, `low` (and `open`, `close`) for the range estimators. */
export interface OhlcArrays {
  /** Opening prices (Garman-Klass, Yang-Zhang). */
  open?: ArrayLike<number>;
  /** Highs (Parkinson, Garman-Klass, Yang-Zhang). */
  high?: ArrayLike<number>;
  /** Lows (Parkinson, Garman-Klass, Yang-Zhang). */
  low?: ArrayLike<number>;
  /** Closing prices (close-to-close, Garman-Klass, Yang-Zhang). */
  close?: ArrayLike<number>;
}

const LN2 = Math.log(2);
const NEEDS: Record<VolatilityEstimator, ReadonlyArray<keyof OhlcArrays>> = {
  'close-to-close': ['close'],
  parkinson: ['high', 'low'],
  'garman-klass': ['open', 'high', 'low', 'close'],
  'yang-zhang': ['open', 'high', 'low', 'close'],
};

/**
 * Rows at the start of a series that have too little history for an estimator over `span` periods: `span` for
 * close-to-close and Yang-Zhang (they need the close before the span), `span - 1` for Parkinson and Garman-Klass.
 *
 * @param estimator - the estimator
 * @param span - periods the estimator averages over
 * @returns the number of leading rows without a value
 * @example
 * ```ts
 * import { volatilityWarmup } from 'stockcast';
 * volatilityWarmup('close-to-close', 5); // 5
 * volatilityWarmup('parkinson', 5); // 4
 * ```
 */
export function volatilityWarmup(estimator: VolatilityEstimator, span: number): number {
  return estimator === 'close-to-close' || estimator === 'yang-zhang' ? span : span - 1;
}

function checkedLog(ratio: number, what: string, row: number): number {
  if (!(ratio > 0) || !Number.isFinite(ratio))
    throw new DataError(`${what} at row ${row} needs positive prices: received a ratio of ${ratio}`);
  return Math.log(ratio);
}

/** Per-row variance contributions of the estimators that average one term per row (fractions squared). @internal */
export function dailyTerms(
  estimator: Exclude<VolatilityEstimator, 'yang-zhang'>,
  p: Required<OhlcArrays>,
  n: number,
): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (estimator === 'close-to-close') {
      if (i > 0) out[i] = checkedLog(p.close[i] / p.close[i - 1], 'the close-to-close return', i) ** 2;
    } else {
      const hl = checkedLog(p.high[i] / p.low[i], 'the high/low ratio', i);
      if (hl < 0) throw new DataError(`high below low at row ${i}: high ${p.high[i]}, low ${p.low[i]}`);
      if (estimator === 'parkinson') out[i] = (hl * hl) / (4 * LN2);
      else out[i] = 0.5 * hl * hl - (2 * LN2 - 1) * checkedLog(p.close[i] / p.open[i], 'the close/open ratio', i) ** 2;
    }
  }
  return out;
}

/** Per-row parts of Yang-Zhang: overnight and open-to-close log returns and the Rogers-Satchell term. @internal */
export function yangZhangParts(
  p: Required<OhlcArrays>,
  n: number,
): { overnight: Float64Array; openClose: Float64Array; rs: Float64Array } {
  const overnight = new Float64Array(n);
  const openClose = new Float64Array(n);
  const rs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (i > 0) overnight[i] = checkedLog(p.open[i] / p.close[i - 1], 'the overnight return', i);
    openClose[i] = checkedLog(p.close[i] / p.open[i], 'the open-to-close return', i);
    const hc = checkedLog(p.high[i] / p.close[i], 'the high/close ratio', i);
    const ho = checkedLog(p.high[i] / p.open[i], 'the high/open ratio', i);
    const lc = checkedLog(p.low[i] / p.close[i], 'the low/close ratio', i);
    const lo = checkedLog(p.low[i] / p.open[i], 'the low/open ratio', i);
    rs[i] = hc * ho + lc * lo;
  }
  return { overnight, openClose, rs };
}

/** The weight k of the open-to-close variance in Yang-Zhang over `span` periods. @internal */
export const yangZhangK = (span: number): number => 0.34 / (1.34 + (span + 1) / (span - 1));

/** Yang-Zhang variance over rows t-n+1..t: overnight and open-to-close sample variances plus Rogers-Satchell. */
function yangZhang(p: Required<OhlcArrays>, n: number, span: number): Float64Array {
  const { overnight, openClose, rs } = yangZhangParts(p, n);
  const k = yangZhangK(span);
  const out = new Float64Array(n - span);
  for (let t = span; t < n; t++) {
    let mo = 0;
    let mc = 0;
    let mrs = 0;
    for (let i = t - span + 1; i <= t; i++) {
      mo += overnight[i];
      mc += openClose[i];
      mrs += rs[i];
    }
    mo /= span;
    mc /= span;
    let vo = 0;
    let vc = 0;
    for (let i = t - span + 1; i <= t; i++) {
      vo += (overnight[i] - mo) ** 2;
      vc += (openClose[i] - mc) ** 2;
    }
    out[t - span] = vo / (span - 1) + k * (vc / (span - 1)) + (1 - k) * (mrs / span);
  }
  return out;
}

/**
 * A realized-volatility estimate at every row with enough history, in annualized percent:
 * 100 sqrt(periodsPerYear x variance per period). Row t uses rows t-span..t (close-to-close, Yang-Zhang) or
 * t-span+1..t (Parkinson, Garman-Klass) only. The formulas are in docs/volatility-and-risk.md:
 * close-to-close mean of r_i^2 (zero mean, r_i = ln C_i/C_{i-1}); Parkinson mean of ln(H/L)^2 / (4 ln 2);
 * Garman-Klass mean of 0.5 ln(H/L)^2 - (2 ln 2 - 1) ln(C/O)^2; Yang-Zhang s_o^2 + k s_c^2 + (1-k) RS.
 *
 * @param prices - the price arrays the estimator needs (see {@link OhlcArrays}), all of one length
 * @param options - `estimator`, `span` (periods averaged; >= 2 for Yang-Zhang) and `periodsPerYear`
 * @returns one value per row from row {@link volatilityWarmup} on (`out[i]` belongs to row `i + warmup`)
 * @throws {@link DataError} when a needed array is missing, lengths differ, a price is not positive, high < low,
 *   or there are no rows with enough history
 * @example
 * ```ts
 * import { realizedVolatility } from 'stockcast';
 * // |ln(1.01)| and |ln(1/1.01)| per day: 100 sqrt(252 ln(1.01)^2) = 15.80 % a year
 * realizedVolatility({ close: [100, 101, 100] }, { estimator: 'close-to-close', span: 2, periodsPerYear: 252 }); // [15.795...]
 * ```
 */
export function realizedVolatility(
  prices: OhlcArrays,
  options: { estimator: VolatilityEstimator; span: number; periodsPerYear: number },
): Float64Array {
  const { estimator, span, periodsPerYear } = options;
  const minSpan = estimator === 'yang-zhang' ? 2 : 1;
  if (!Number.isInteger(span) || span < minSpan)
    throw new DataError(`the ${estimator} estimator needs an integer span >= ${minSpan}: received ${span}`);
  if (!(periodsPerYear > 0)) throw new DataError(`periodsPerYear must be positive: received ${periodsPerYear}`);
  const needs = NEEDS[estimator];
  const n = prices[needs[0]]?.length ?? 0;
  for (const key of needs) {
    const a = prices[key];
    if (!a) throw new DataError(`the ${estimator} estimator needs ${needs.join(', ')} prices: "${key}" is missing`);
    if (a.length !== n)
      throw new DataError(`price arrays must have one length: ${needs[0]} has ${n}, ${key} has ${a.length}`);
  }
  const warmup = volatilityWarmup(estimator, span);
  if (n <= warmup)
    throw new DataError(
      `the ${estimator} estimator over ${span} periods needs more than ${warmup} rows: received ${n}`,
    );
  const p = prices as Required<OhlcArrays>;
  let variance: Float64Array;
  if (estimator === 'yang-zhang') variance = yangZhang(p, n, span);
  else {
    const terms = dailyTerms(estimator, p, n);
    variance = new Float64Array(n - warmup);
    let sum = 0;
    // A running sum over the span; rebuilt exactly every 1024 rows so rounding does not accumulate.
    for (let t = warmup; t < n; t++) {
      if ((t - warmup) % 1024 === 0) {
        sum = 0;
        for (let i = t - span + 1; i <= t; i++) sum += terms[i];
      } else sum += terms[t] - terms[t - span];
      variance[t - warmup] = sum / span;
    }
  }
  const out = new Float64Array(variance.length);
  // Garman-Klass can dip below 0 on a quiet span (its open-close term is subtracted): the estimate is then 0.
  for (let i = 0; i < out.length; i++) out[i] = 100 * Math.sqrt(periodsPerYear * Math.max(0, variance[i]));
  return out;
}

/** Options of {@link addVolatility}. */
export const VolatilityOptionsSchema = z
  .object({
    /** The estimator (default `close-to-close`). */
    estimator: v.estimator.withDefault(),
    /** Periods the estimator averages over, e.g. 5 for a weekly estimate of daily data (default 5). */
    span: v.span.withDefault(),
    /** Periods per year for annualizing (default from the frequency: 252 daily, 52 weekly, 12 monthly). */
    periodsPerYear: v.periodsPerYear.optional(),
    /**
     * `trailing` (default): the value at row t is the estimate over the span ending at t (known at t, a feature).
     * `forward`: the value at row t is the estimate over the next `span` periods (the trailing value at t+span),
     * a forecast target; the last `span` rows have no future and are dropped.
     */
    align: v.align.withDefault(),
    /** Names of the price columns (default `open`, `high`, `low`, `close`). */
    prices: v.prices.optional(),
    /** Name of the new column (default e.g. `rv5` for close-to-close, `parkinson5`, `gk5`, `yz5`; a `_fwd` suffix when forward). */
    name: v.name.optional(),
  })
  .strict();

/** Options of {@link addVolatility}, as accepted. */
export type VolatilityOptions = z.input<typeof VolatilityOptionsSchema>;

/** The outcome of {@link addVolatility}: the series with the new column, and the rows it had to drop. */
export interface VolatilityResult {
  /** The input rows that have a value, with every column kept and the new one added. */
  series: Series;
  /** The new column's name. */
  column: string;
  /** Leading rows dropped for lack of history ({@link volatilityWarmup}). */
  droppedLeading: number;
  /** Trailing rows dropped for lack of future (`span` with `align: 'forward'`, else 0). */
  droppedTrailing: number;
}

const SHORT: Record<VolatilityEstimator, string> = {
  'close-to-close': 'rv',
  parkinson: 'parkinson',
  'garman-klass': 'gk',
  'yang-zhang': 'yz',
};

/**
 * Adds a realized-volatility column (annualized percent) computed by {@link realizedVolatility}. Rows without a
 * value are dropped, never filled, and counted in the result.
 *
 * @param series - OHLC(V) data
 * @param options - see {@link VolatilityOptionsSchema}
 * @returns the shortened series with the new column, and how many rows were dropped at each end
 * @throws {@link ValidationError} for invalid options
 * @throws {@link DataError} when a price column is missing, a price is not positive, or the series is too short
 * @example
 * ```ts
 * import { addVolatility, readCsv } from 'stockcast';
 * const sp = await readCsv('fixtures/sp500-2000.csv');
 * const { series, droppedLeading } = addVolatility(sp, { estimator: 'yang-zhang', span: 5 });
 * console.log(series.column('yz5').slice(0, 3), droppedLeading); // the first three values, and the 5 rows dropped
 * ```
 */
export function addVolatility(series: Series, options: VolatilityOptions = {}): VolatilityResult {
  const o = parseOptions(VolatilityOptionsSchema, options, 'volatility options');
  const names = { open: 'open', high: 'high', low: 'low', close: 'close', ...o.prices };
  const prices: OhlcArrays = {};
  for (const key of NEEDS[o.estimator]) prices[key] = series.columnRef(names[key]);
  const ppy = o.periodsPerYear ?? defaultPeriodsPerYear(series.meta.frequency);
  const values = realizedVolatility(prices, { estimator: o.estimator, span: o.span, periodsPerYear: ppy });
  const warmup = volatilityWarmup(o.estimator, o.span);
  const column = o.name ?? `${SHORT[o.estimator]}${o.span}${o.align === 'forward' ? '_fwd' : ''}`;
  if (o.align === 'trailing') {
    return {
      series: series.slice(warmup).withColumn(column, values),
      column,
      droppedLeading: warmup,
      droppedTrailing: 0,
    };
  }
  // Forward: row t gets the trailing estimate at t + span, which covers rows t+1..t+span.
  const first = Math.max(0, warmup - o.span);
  const last = series.length - o.span; // exclusive
  if (last <= first)
    throw new DataError(
      `a forward ${o.estimator} target over ${o.span} periods needs more than ${warmup + o.span - first} rows: received ${series.length}`,
    );
  const shifted = values.subarray(first + o.span - warmup, last + o.span - warmup);
  const out = series.slice(first, last).withColumn(column, shifted);
  return {
    series: out.withMeta({ lookahead: { ...out.meta.lookahead, [column]: o.span } }),
    column,
    droppedLeading: first,
    droppedTrailing: o.span,
  };
}

/**
 * Adds the natural log of a volume column (default `volume` -> `logVolume`), row by row.
 *
 * @param series - the data
 * @param options - `column` to read (default `volume`) and `name` of the new column (default `logVolume`)
 * @returns the series with the new column
 * @throws {@link DataError} when the column is missing or a volume is not positive (ln 0 is undefined)
 * @example
 * ```ts
 * import { addLogVolume, Series } from 'stockcast';
 * addLogVolume(Series.create({ timestamps: [0], columns: { volume: [Math.E] } })).column('logVolume'); // [1]
 * ```
 */
export function addLogVolume(series: Series, options: { column?: string; name?: string } = {}): Series {
  const column = options.column ?? 'volume';
  const v = series.columnRef(column);
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    if (!(v[i] > 0)) {
      throw new DataError(
        `column "${column}" row ${i} (${new Date(series.timestampAt(i)).toISOString()}): the log of a volume needs a positive value, received ${v[i]}`,
        {},
        { hint: 'drop or fill zero-volume rows first' },
      );
    }
    out[i] = Math.log(v[i]);
  }
  return series.withColumn(options.name ?? 'logVolume', out);
}
