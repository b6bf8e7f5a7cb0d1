/** Future-known covariates derived from timestamps alone: weekday, month, day of month, trading days to month and quarter end, holiday neighbours. */
import { z } from 'zod';
import { DataError } from '../errors.js';
import type { ExchangeCalendar } from '../data/calendar/calendar.js';

const DAY = 86_400_000;

/**
 * The calendar features {@link calendarFeatures} can derive. Each is a number in [0, 1], known for any future
 * date, so a forecaster may read it for the steps it forecasts:
 * - `dayOfWeek`: Monday 0 ... Friday 1 (weekend days above 1 for calendars that trade then: Saturday 1.25, Sunday 1.5)
 * - `month`: January 0 ... December 1
 * - `dayOfMonth`: the 1st 0 ... the 31st 1
 * - `tradingDaysToMonthEnd`: trading days after this one until the month's last trading day, / 22, at most 1
 * - `tradingDaysToQuarterEnd`: the same to the quarter's last trading day, / 64, at most 1
 * - `beforeHoliday`: 1 when the next weekday is a holiday (the market closes for more than a weekend), else 0
 * - `afterHoliday`: 1 when the previous weekday was a holiday, else 0
 * - `earlyClose`: 1 on an early-close day, else 0
 */
export const CalendarFeatureSchema = z.enum([
  'dayOfWeek',
  'month',
  'dayOfMonth',
  'tradingDaysToMonthEnd',
  'tradingDaysToQuarterEnd',
  'beforeHoliday',
  'afterHoliday',
  'earlyClose',
]);

/** A calendar feature name (see {@link CalendarFeatureSchema}). */
export type CalendarFeature = z.infer<typeof CalendarFeatureSchema>;

/** Every calendar feature, in a fixed order. */
export const CALENDAR_FEATURES: readonly CalendarFeature[] = Object.freeze([...CalendarFeatureSchema.options]);

/** Business days (Monday to Friday, no holidays) when no calendar is given. */
const businessDays = {
  isTradingDay: (t: number) => {
    const dow = new Date(t).getUTCDay();
    return dow !== 0 && dow !== 6;
  },
  isEarlyClose: () => false,
};

type DayOracle = Pick<ExchangeCalendar, 'isTradingDay' | 'isEarlyClose'>;

/** Trading days strictly after `day` up to and including `lastDay` (both epoch days). */
function tradingDaysUntil(cal: DayOracle, day: number, lastDay: number, cache: Map<number, boolean>): number {
  let n = 0;
  for (let d = day + 1; d <= lastDay; d++) {
    let open = cache.get(d);
    if (open === undefined) {
      open = cal.isTradingDay(d * DAY);
      cache.set(d, open);
    }
    if (open) n++;
  }
  return n;
}

function isWeekday(day: number): boolean {
  const dow = new Date(day * DAY).getUTCDay();
  return dow !== 0 && dow !== 6;
}

/**
 * Derives calendar features for each timestamp (its UTC date), using an exchange calendar's trading days and
 * holidays when given (otherwise Monday to Friday with no holidays). Pure: the same timestamps give the same
 * numbers, for past rows and for the future steps of a forecast alike.
 *
 * @param timestamps - epoch ms, in any order
 * @param options - `features` to derive (default all, in {@link CALENDAR_FEATURES} order) and an optional `calendar`
 * @returns one Float32Array per feature, each as long as `timestamps`
 * @throws {@link DataError} for a non-finite timestamp or an unknown feature name, or a date the calendar does not cover
 * @example
 * ```ts
 * import { calendarFeatures, nyseCalendar } from 'stockcast';
 * const f = calendarFeatures(Float64Array.of(Date.UTC(2024, 10, 27)), { features: ['beforeHoliday', 'dayOfWeek'], calendar: nyseCalendar() });
 * f.get('beforeHoliday'); // Float32Array [1]: Thanksgiving is the next day
 * f.get('dayOfWeek'); // Float32Array [0.5]: a Wednesday
 * ```
 */
export function calendarFeatures(
  timestamps: ArrayLike<number>,
  options: { features?: readonly CalendarFeature[]; calendar?: ExchangeCalendar | undefined } = {},
): Map<CalendarFeature, Float32Array> {
  const features = options.features ?? CALENDAR_FEATURES;
  for (const f of features)
    if (!CALENDAR_FEATURES.includes(f))
      throw new DataError(`unknown calendar feature "${f}": expected one of ${CALENDAR_FEATURES.join(', ')}`);
  const cal: DayOracle = options.calendar ?? businessDays;
  const n = timestamps.length;
  const out = new Map<CalendarFeature, Float32Array>(features.map((f) => [f, new Float32Array(n)]));
  const open = new Map<number, boolean>();
  for (let i = 0; i < n; i++) {
    const t = timestamps[i];
    if (!Number.isFinite(t)) throw new DataError(`timestamp ${i} is not a finite epoch-ms value: received ${t}`);
    const date = new Date(t);
    const when: When = { t, date, day: Math.floor(t / DAY), y: date.getUTCFullYear(), m: date.getUTCMonth() };
    for (const f of features) out.get(f)![i] = featureValue(f, when, cal, open);
  }
  return out;
}

/** One timestamp, with its UTC date, epoch day, year and month. */
interface When {
  t: number;
  date: Date;
  day: number;
  y: number;
  m: number;
}

/** Whether the market opens on an epoch day, asked of the calendar once per day. */
function isOpenDay(cal: DayOracle, day: number, cache: Map<number, boolean>): boolean {
  let o = cache.get(day);
  if (o === undefined) {
    o = cal.isTradingDay(day * DAY);
    cache.set(day, o);
  }
  return o;
}

/** The value of feature `f` at one timestamp (see {@link CalendarFeatureSchema}). */
function featureValue(f: CalendarFeature, when: When, cal: DayOracle, open: Map<number, boolean>): number {
  const { t, date, day, y, m } = when;
  switch (f) {
    case 'dayOfWeek':
      return ((date.getUTCDay() + 6) % 7) / 4;
    case 'month':
      return m / 11;
    case 'dayOfMonth':
      return (date.getUTCDate() - 1) / 30;
    case 'tradingDaysToMonthEnd':
      return Math.min(1, tradingDaysUntil(cal, day, Date.UTC(y, m + 1, 0) / DAY, open) / 22);
    case 'tradingDaysToQuarterEnd':
      return Math.min(1, tradingDaysUntil(cal, day, Date.UTC(y, Math.floor(m / 3) * 3 + 3, 0) / DAY, open) / 64);
    case 'beforeHoliday': {
      let next = day + 1;
      while (!isWeekday(next)) next++;
      return isOpenDay(cal, next, open) ? 0 : 1;
    }
    case 'afterHoliday': {
      let prev = day - 1;
      while (!isWeekday(prev)) prev--;
      return isOpenDay(cal, prev, open) ? 0 : 1;
    }
    default:
      return cal.isEarlyClose(t) ? 1 : 0;
  }
}
