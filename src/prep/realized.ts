/**
 * Daily realized measures from intraday bars, in one pass: realized variance, bipower variation and its jump part,
 * realized semivariances and realized quarticity, with the overnight return excluded, added or scaled in.
 */
import { z } from 'zod';
import { Series } from '../data/series.js';
import { resolveTarget } from '../data/target.js';
import { DataError } from '../errors.js';
import { GrowableArray } from '../util/growable.js';
import { parseOptions } from '../validate.js';
import { vocabulary as v } from '../vocabulary.js';
import { DayAssigner, dayFields, dayRule } from './bar-days.js';
import { checkIntraday } from './resample.js';

const DAY = 86_400_000;
/** 1 / mu_1^2 with mu_1 = E|Z| = sqrt(2 / pi): bipower variation's scale. */
const BIPOWER = Math.PI / 2;

/** The columns of {@link realizedMeasures}, in order. */
export const REALIZED_COLUMNS = ['rv', 'bv', 'jump', 'rsPos', 'rsNeg', 'rq', 'bars'] as const;

/** Options of {@link realizedMeasures}. */
export const RealizedOptionsSchema = z
  .object({
    /** The price column (default: the close column, else the only column, resolved as targets are). */
    target: v.target.optional(),
    /** The overnight return: `exclude` (default), `add` as the day's first return, or `scale` (Hansen and Lunde). */
    overnight: v.overnight.withDefault(),
    ...dayFields,
  })
  .strict();

/** Options of {@link realizedMeasures}, as accepted. */
export type RealizedOptions = z.input<typeof RealizedOptionsSchema>;

/** Sums over one day's returns. */
class DaySums {
  rv = 0;
  bipower = 0;
  pos = 0;
  neg = 0;
  quartic = 0;
  returns = 0;

  constructor(
    readonly label: number,
    /** The day's bar count. */
    readonly bars: number,
    /** The last close of the previous day (NaN for the first day). */
    readonly prevClose: number,
    /** The day's last close. */
    readonly lastClose: number,
  ) {}

  /** Adds the log returns of a run of prices, in one tight loop (ln of ratios: exact for tiny returns). */
  addReturns(prices: Float64Array, count: number): void {
    let prevAbs = -1;
    for (let k = 1; k < count; k++) {
      const r = Math.log(prices[k] / prices[k - 1]);
      const r2 = r * r;
      this.rv += r2;
      if (r > 0) this.pos += r2;
      else if (r < 0) this.neg += r2;
      this.quartic += r2 * r2;
      const abs = r < 0 ? -r : r;
      if (prevAbs >= 0) this.bipower += abs * prevAbs;
      prevAbs = abs;
    }
    this.returns += count - 1;
  }
}

/** The output columns while they grow. */
type Out = Record<(typeof REALIZED_COLUMNS)[number], GrowableArray>;

/**
 * Daily realized measures from intraday bars. A day's returns are the log returns between consecutive closes within
 * it (M bars give M - 1 returns); the overnight return runs from the previous day's last close to the day's first
 * close. Columns (daily variances of decimal log returns, not annualized):
 * - `rv`: realized variance, the sum of squared returns;
 * - `bv`: bipower variation (Barndorff-Nielsen and Shephard 2004), (pi / 2) sum |r_i| |r_(i-1)|, robust to jumps;
 * - `jump`: max(rv - bv, 0), the jump part (Andersen, Bollerslev and Diebold 2007); rv - jump is the continuous part;
 * - `rsPos`, `rsNeg`: realized semivariances, the sums of squared positive and negative returns (they add to rv);
 * - `rq`: realized quarticity (M / 3) sum r_i^4, for HARQ;
 * - `bars`: the day's bar count.
 *
 * `overnight: 'add'` makes the overnight return the day's first return; `'scale'` multiplies every measure (rq
 * twice) by Hansen and Lunde's (2005) factor, the sum of squared close-to-close daily returns over the sum of rv,
 * both over the days up to and including that day (so no row reads later rows; the paper's full-sample factor is
 * the last row's). Both drop the first day, which has no previous close. Days are kept whatever their bar count,
 * a day with one bar has rv 0; `minBars` drops partial days. What was left out is counted in `meta.aggregation`.
 *
 * @param series - intraday bars with a close column (timestamps at each bar's start, or end: `stamp`)
 * @param options - see {@link RealizedOptionsSchema}
 * @returns one row per day, stamped 00:00 UTC of its date, with the columns above
 * @throws {@link ValidationError} for invalid options
 * @throws {@link DataError} when the series is not intraday, a price is not positive, the calendar lacks trading
 *   hours or does not cover the data, or no day is left
 * @example
 * ```ts
 * import { realizedMeasures, Series } from 'stockcast';
 * const t0 = Date.UTC(2024, 0, 2, 9);
 * const timestamps = [0, 1, 2].map((k) => t0 + k * 3600000);
 * const bars = Series.create({ timestamps, columns: { close: [100, 101, 100] } });
 * realizedMeasures(bars, { session: '24h' }).column('rv'); // Float64Array [0.000198018...]: ln(1.01)^2 + ln(1/1.01)^2
 * ```
 */
export function realizedMeasures(series: Series, options: RealizedOptions = {}): Series {
  const o = parseOptions(RealizedOptionsSchema, options, 'realized options');
  const rule = dayRule(o);
  checkIntraday(series, 0);
  const target = resolveTarget(series.columns, o.target);
  const out = Object.fromEntries(REALIZED_COLUMNS.map((c) => [c, new GrowableArray()])) as Out;
  const stamps = new GrowableArray();
  const scale = { cc: 0, rv: 0 };
  const counts = { outside: 0, partial: 0, overnight: 0 };
  for (const sums of daysOf(series, target, new DayAssigner(rule, o.stamp), o, counts)) {
    if (sums.bars < o.minBars) counts.partial++;
    else if (o.overnight !== 'exclude' && !(sums.prevClose > 0)) counts.overnight++;
    else {
      const factor = o.overnight === 'scale' ? hansenLunde(scale, sums) : 1;
      if (Number.isFinite(factor)) push(out, stamps, sums, factor);
      else counts.overnight++;
    }
  }
  if (stamps.length === 0) {
    throw new DataError(
      `no day left: ${series.length} bars read, ${counts.outside} outside the sessions, ` +
        `${counts.partial} days with fewer than ${o.minBars} bars, ${counts.overnight} without an overnight return`,
      {},
      { hint: 'check the calendar and time zone, or lower minBars' },
    );
  }
  const columns = new Map<string, Float64Array>(REALIZED_COLUMNS.map((c) => [c, out[c].toArray()]));
  const aggregation = {
    session: rule.session,
    barsRead: series.length,
    barsOutside: counts.outside,
    partialDropped: counts.partial,
    overnightDropped: counts.overnight,
  };
  return Series.trusted(stamps.toArray(), columns, {
    ...pick(series.meta),
    frequency: 'daily',
    stepMs: DAY,
    aggregation,
  });
}

/**
 * The sums of each day, in order: a day's bars are the run of bars before its end (found from the timestamps),
 * their returns summed in one tight loop; bars outside every session are counted and skipped.
 */
function* daysOf(
  series: Series,
  target: string,
  days: DayAssigner,
  o: { overnight: 'exclude' | 'add' | 'scale'; stamp: 'start' | 'end' },
  counts: { outside: number },
): Generator<DaySums> {
  const close = series.columnRef(target);
  const ts = series.timestampsRef();
  const shift = o.stamp === 'end' ? -1 : 0;
  // The prices of one day, first the previous close when the overnight return is added (grown as needed).
  let prices = new Float64Array(1024);
  let last = Number.NaN;
  for (let i = 0; i < ts.length; ) {
    const day = days.dayOf(ts[i]);
    if (!day) {
      counts.outside++;
      i++;
      continue;
    }
    let j = i + 1;
    while (j < ts.length && ts[j] + shift < day.end) j++;
    if (prices.length < j - i + 1) prices = new Float64Array(2 * (j - i + 1));
    let m = 0;
    if (o.overnight === 'add' && last > 0) prices[m++] = last;
    for (let k = i; k < j; k++) {
      const c = close[k];
      if (!(c > 0)) throw badPrice(target, k, ts[k], c);
      prices[m++] = c;
    }
    const sums = new DaySums(day.label, j - i, last, close[j - 1]);
    sums.addReturns(prices, m);
    yield sums;
    last = close[j - 1];
    i = j;
  }
}

function badPrice(target: string, row: number, t: number, c: number): DataError {
  return new DataError(
    `column "${target}" row ${row} (${new Date(t).toISOString()}): log returns need positive prices, received ${c}`,
    {},
    { hint: 'drop or fill the bars without a price first' },
  );
}

/** Hansen and Lunde's factor over the days so far, this one included (NaN while the sum of rv is 0). */
function hansenLunde(sums: { cc: number; rv: number }, day: DaySums): number {
  sums.cc += Math.log(day.lastClose / day.prevClose) ** 2;
  sums.rv += day.rv;
  return sums.rv > 0 ? sums.cc / sums.rv : Number.NaN;
}

function push(out: Out, stamps: GrowableArray, acc: DaySums, factor: number): void {
  const bv = BIPOWER * acc.bipower;
  stamps.push(acc.label * DAY);
  out.rv.push(factor * acc.rv);
  out.bv.push(factor * bv);
  out.jump.push(factor * Math.max(acc.rv - bv, 0));
  out.rsPos.push(factor * acc.pos);
  out.rsNeg.push(factor * acc.neg);
  out.rq.push(factor * factor * ((acc.returns / 3) * acc.quartic));
  out.bars.push(acc.bars);
}

/** The metadata a daily series keeps from its bars: who and where from, not their frequency or ingestion. */
function pick(meta: Series['meta']): { symbol?: string; source?: string } {
  return {
    ...(meta.symbol !== undefined ? { symbol: meta.symbol } : {}),
    ...(meta.source !== undefined ? { source: meta.source } : {}),
  };
}
