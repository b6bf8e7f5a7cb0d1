/** Resampling of intraday bars into coarser bars or days, in one pass, by exchange session or fixed 24-hour day. */
import { z } from 'zod';
import { Series } from '../data/series.js';
import { DataError } from '../errors.js';
import { GrowableArray } from '../util/growable.js';
import { parseOptions } from '../validate.js';
import { vocabulary as v } from '../vocabulary.js';
import { DayAssigner, dayFields, dayRule } from './bar-days.js';

const DAY = 86_400_000;
const MINUTES: Record<string, number> = {
  '1m': 1,
  '2m': 2,
  '5m': 5,
  '15m': 15,
  '30m': 30,
  '60m': 60,
  '90m': 90,
  '1h': 60,
};

/** Options of {@link resampleBars}. */
export const ResampleOptionsSchema = z
  .object({
    /** The bar size made: `1d` (default: one bar per day or session) or an intraday size such as `30m`, `1h`. */
    interval: v.interval.withDefault(),
    ...dayFields,
  })
  .strict()
  .refine((o) => o.interval === '1d' || o.interval in MINUTES, {
    message: 'resampling makes intraday bars (1m ... 90m, 1h) or days (1d)',
    path: ['interval'],
  });

/** Options of {@link resampleBars}, as accepted. */
export type ResampleOptions = z.input<typeof ResampleOptionsSchema>;

/** How a column combines within a bin, by name: first, max, min, sum, else last. */
const FIRST = 0;
const MAX = 1;
const MIN = 2;
const SUM = 3;
const LAST = 4;
const RULES: Record<string, number> = {
  open: FIRST,
  Open: FIRST,
  high: MAX,
  High: MAX,
  low: MIN,
  Low: MIN,
  volume: SUM,
  Volume: SUM,
};

/**
 * Resamples intraday bars into coarser bars: one per day or session (`interval: '1d'`, stamped 00:00 UTC of its
 * date, like Yahoo's daily bars) or clock bins of an intraday size within each day (stamped at their start, or at
 * their end for `stamp: 'end'`; bins start at the session open, or at the cut-off of a 24-hour day). Columns are
 * combined by name: `open` first, `high` max, `low` min, `volume` sum, every other column (close, adjClose, ...)
 * last. A `bars` column counts the input bars of each output bar (summed when the input has one).
 *
 * Partial sessions and gaps: an output bar exists where input bars do, whatever their number (`minBars` drops
 * those with fewer, counted in `meta.aggregation`); a day or bin without bars is left out, never filled. With
 * exchange sessions, bars outside them (pre- and post-market, weekends, holidays) are left out and counted.
 * One pass over the bars; memory grows with the output, not the input.
 *
 * @param series - intraday bars, timestamps at each bar's start (or end: `stamp`)
 * @param options - see {@link ResampleOptionsSchema}
 * @returns the coarser bars, with `meta.aggregation` saying what was left out
 * @throws {@link ValidationError} for invalid options
 * @throws {@link DataError} when the series is not intraday, the bins are not coarser than its bars, a calendar lacks
 *   trading hours or does not cover the data, or no bar is left
 * @example
 * ```ts
 * import { resampleBars, Series } from 'stockcast';
 * const t0 = Date.UTC(2024, 0, 2, 14, 30); // 09:30 New York
 * const bars = Series.create({
 *   timestamps: [0, 1, 2].map((k) => t0 + k * 300000),
 *   columns: { open: [10, 11, 12], high: [11, 13, 12], low: [9, 10, 11], close: [11, 12, 12], volume: [5, 6, 7] },
 * });
 * const daily = resampleBars(bars, { calendar: 'nyse' });
 * daily.column('high'); // Float64Array [13]
 * daily.column('bars'); // Float64Array [3]
 * ```
 */
export function resampleBars(series: Series, options: ResampleOptions = {}): Series {
  const o = parseOptions(ResampleOptionsSchema, options, 'resample options');
  const rule = dayRule(o);
  const binMs = o.interval === '1d' ? 0 : MINUTES[o.interval] * 60_000;
  checkIntraday(series, binMs);
  const names = series.columns.filter((c) => c !== 'bars');
  const bins = binAll(series, names, new DayAssigner(rule, o.stamp), { binMs, stamp: o.stamp, minBars: o.minBars });
  const barsRead = series.length;
  if (bins.stamps.length === 0)
    throw new DataError(
      `no bars left to resample: ${barsRead} read, ${bins.outside} outside the sessions, ` +
        `${bins.partial} bins with fewer than ${o.minBars} bars`,
      {},
      { hint: 'check the calendar and time zone, or lower minBars' },
    );
  const columns = new Map<string, Float64Array>(names.map((c, j) => [c, bins.out[j].toArray()]));
  columns.set('bars', bins.bars.toArray());
  const aggregation = {
    session: rule.session,
    barsRead,
    barsOutside: bins.outside,
    partialDropped: bins.partial,
    overnightDropped: 0,
  };
  const frequency = binMs === 0 ? ('daily' as const) : ('intraday' as const);
  return Series.trusted(bins.stamps.toArray(), columns, {
    ...series.meta,
    frequency,
    stepMs: binMs === 0 ? DAY : binMs,
    aggregation,
  });
}

/**
 * Bin by bin: the bars of a bin found from the timestamps alone, then each column combined over that index range
 * in one tight loop. Nothing is allocated per bar or per bin.
 */
function binAll(
  series: Series,
  names: string[],
  days: DayAssigner,
  o: { binMs: number; stamp: 'start' | 'end'; minBars: number },
): { stamps: GrowableArray; out: GrowableArray[]; bars: GrowableArray; outside: number; partial: number } {
  const rules = Int8Array.from(names, (c) => RULES[c] ?? LAST);
  const inputs = names.map((c) => series.columnRef(c));
  const counts = series.has('bars') ? series.columnRef('bars') : undefined;
  const ts = series.timestampsRef();
  const shift = o.stamp === 'end' ? -1 : 0;
  const result = {
    stamps: new GrowableArray(),
    out: names.map(() => new GrowableArray()),
    bars: new GrowableArray(),
    outside: 0,
    partial: 0,
  };
  for (let i = 0; i < ts.length; ) {
    const day = days.dayOf(ts[i]);
    if (!day) {
      result.outside++;
      i++;
      continue;
    }
    const lo = o.binMs === 0 ? day.start : day.start + Math.floor((ts[i] + shift - day.start) / o.binMs) * o.binMs;
    const hi = o.binMs === 0 ? day.end : Math.min(lo + o.binMs, day.end);
    // The bin lies inside its day or session, so every bar before hi belongs to it.
    let j = i + 1;
    while (j < ts.length && ts[j] + shift < hi) j++;
    let count = j - i;
    if (counts) {
      count = 0;
      for (let k = i; k < j; k++) count += counts[k];
    }
    if (count < o.minBars) result.partial++;
    else {
      result.stamps.push(o.binMs === 0 ? day.label * DAY : o.stamp === 'start' ? lo : hi);
      for (let c = 0; c < names.length; c++) result.out[c].push(combine(rules[c], inputs[c], i, j));
      result.bars.push(count);
    }
    i = j;
  }
  return result;
}

/** One column's value over the bars [from, to) of a bin, by its rule. */
function combine(rule: number, x: Float64Array, from: number, to: number): number {
  let v = x[from];
  if (rule === FIRST) return v;
  if (rule === LAST) return x[to - 1];
  for (let k = from + 1; k < to; k++) {
    const y = x[k];
    if (rule === MAX) v = Math.max(y, v);
    else if (rule === MIN) v = Math.min(y, v);
    else v += y;
  }
  return v;
}

/** Resampling reads intraday bars and makes coarser ones. @internal */
export function checkIntraday(series: Series, binMs: number): void {
  if (series.length === 0) throw new DataError('no bars to resample: the series is empty');
  if (series.meta.frequency !== 'intraday' && series.length > 1) {
    throw new DataError(
      `expected intraday bars: received ${series.meta.frequency} data ` +
        `(a median step of ${(series.meta.stepMs / 3_600_000).toFixed(1)} hours)`,
      {},
      { hint: 'daily bars are already days' },
    );
  }
  if (binMs > 0 && series.meta.stepMs >= binMs) {
    throw new DataError(
      `expected bins coarser than the bars: the bars are ${series.meta.stepMs / 60_000} minutes apart, ` +
        `the bins ${binMs / 60_000} minutes`,
      {},
      { hint: 'pick a larger interval' },
    );
  }
}
