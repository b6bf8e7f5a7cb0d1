/** Infers a series' sampling frequency from its timestamps and steps a calendar forward in it. */
import { addMonths } from 'date-fns/addMonths';
import { addYears } from 'date-fns/addYears';
import type { ExchangeCalendar } from './calendar/calendar.js';

/** How often a series is sampled. `daily` means business days (weekends skipped when stepping forward). */
export type Frequency = 'intraday' | 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly' | 'irregular';

const DAY = 86_400_000;

/** The inferred frequency of a series, with the typical step for intraday data. */
export interface FrequencyInfo {
  /** The frequency class. */
  frequency: Frequency;
  /** The median gap between consecutive timestamps, in milliseconds (0 for fewer than two points). */
  stepMs: number;
}

function median(values: Float64Array): number {
  const a = Float64Array.from(values);
  const mid = a.length >> 1;
  const upper = select(a, mid);
  // Even length: the lower middle is the largest value left of the upper one after the partition.
  if (a.length % 2 === 1) return upper;
  let lower = -Infinity;
  for (let i = 0; i < mid; i++) if (a[i] > lower) lower = a[i];
  return (lower + upper) / 2;
}

/** The k-th smallest value (0-based), partitioning `a` in place (Hoare's quickselect, median-of-three pivots). */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    const pivot = Math.max(Math.min(a[lo], a[m]), Math.min(Math.max(a[lo], a[m]), a[hi]));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i++] = a[j];
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/**
 * Infers the sampling frequency from the median gap between timestamps.
 * Gaps of 1-4 days with a 1-day median are business-daily data (weekends and holidays missing).
 *
 * @param timestamps - strictly increasing epoch milliseconds
 * @returns the frequency class and the median step
 * @example
 * ```ts
 * import { inferFrequency } from 'stockcast';
 * inferFrequency(Float64Array.of(0, 7 * 86400000, 14 * 86400000)).frequency; // 'weekly'
 * ```
 */
export function inferFrequency(timestamps: Float64Array): FrequencyInfo {
  if (timestamps.length < 2) return { frequency: 'irregular', stepMs: 0 };
  const gaps = new Float64Array(timestamps.length - 1);
  for (let i = 1; i < timestamps.length; i++) gaps[i - 1] = timestamps[i] - timestamps[i - 1];
  const step = median(gaps);
  const days = step / DAY;
  let frequency: Frequency;
  if (days < 1) frequency = 'intraday';
  else if (days <= 1.5) frequency = 'daily';
  else if (days >= 6 && days <= 8) frequency = 'weekly';
  else if (days >= 27 && days <= 32) frequency = 'monthly';
  else if (days >= 88 && days <= 93) frequency = 'quarterly';
  else if (days >= 360 && days <= 370) frequency = 'yearly';
  else frequency = 'irregular';
  return { frequency, stepMs: step };
}

/** Periods per year of a frequency, for annualizing: 252 daily, 52 weekly, 12 monthly, 4 quarterly, 1 yearly. @internal */
export function periodsPerYear(frequency: Frequency): number {
  return { daily: 252, weekly: 52, monthly: 12, quarterly: 4, yearly: 1, intraday: 252 * 6.5, irregular: 252 }[
    frequency
  ];
}

function addUtcMonths(ms: number, months: number): number {
  // date-fns works in local time; shifting by the zone offset keeps the UTC calendar date intact.
  const d = new Date(ms);
  const local = new Date(
    d.getUTCFullYear(),
    d.getUTCMonth(),
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
  const moved = months % 12 === 0 ? addYears(local, months / 12) : addMonths(local, months);
  return Date.UTC(
    moved.getFullYear(),
    moved.getMonth(),
    moved.getDate(),
    moved.getHours(),
    moved.getMinutes(),
    moved.getSeconds(),
    moved.getMilliseconds(),
  );
}

/** Options of {@link futureTimestamps}: the series' frequency, how many steps, and an optional exchange calendar. */
export interface FutureTimestampsOptions extends FrequencyInfo {
  /** How many future timestamps to produce. */
  steps: number;
  /** For daily data: step over this exchange's holidays and weekend too (default: business days, Monday to Friday). */
  calendar?: ExchangeCalendar | undefined;
}

/**
 * The next `steps` timestamps after `last` in the given frequency: trading days for daily data (the
 * calendar's when one is given, so no forecast lands on a holiday; otherwise Monday to Friday), +7 days for
 * weekly, calendar months for monthly/quarterly/yearly, and the median step otherwise. The calendar applies
 * to daily data only (weekly and monthly bars are labelled by their period, not by a trading day).
 *
 * @param last - the last observed timestamp (epoch ms)
 * @param options - the series' frequency and median step, how many future timestamps to produce, and a calendar
 * @returns the future timestamps, strictly increasing
 * @throws {@link DataError} when the calendar has no trading day within a year of a step (it closes every day),
 *   or a step passes the calendar's validUntil
 * @example
 * ```ts
 * import { futureTimestamps, nyseCalendar } from 'stockcast';
 * // Friday 2024-01-05 -> Monday 8th, Tuesday 9th
 * futureTimestamps(Date.UTC(2024, 0, 5), { frequency: 'daily', stepMs: 86400000, steps: 2 });
 * // Thursday 2024-03-28 on the NYSE -> Monday April 1st (Good Friday is skipped)
 * futureTimestamps(Date.UTC(2024, 2, 28), { frequency: 'daily', stepMs: 86400000, steps: 1, calendar: nyseCalendar() });
 * ```
 */
export function futureTimestamps(last: number, options: FutureTimestampsOptions): Float64Array {
  const { steps, calendar, ...info } = options;
  const out = new Float64Array(steps);
  let t = last;
  for (let i = 0; i < steps; i++) {
    switch (info.frequency) {
      case 'daily': {
        if (calendar) {
          t = calendar.nextTradingDay(t);
          break;
        }
        t += DAY;
        let dow = new Date(t).getUTCDay();
        while (dow === 0 || dow === 6) {
          t += DAY;
          dow = new Date(t).getUTCDay();
        }
        break;
      }
      case 'weekly':
        t += 7 * DAY;
        break;
      case 'monthly':
        t = addUtcMonths(last, i + 1);
        break;
      case 'quarterly':
        t = addUtcMonths(last, 3 * (i + 1));
        break;
      case 'yearly':
        t = addUtcMonths(last, 12 * (i + 1));
        break;
      default:
        t += info.stepMs > 0 ? info.stepMs : DAY;
    }
    out[i] = t;
  }
  return out;
}
