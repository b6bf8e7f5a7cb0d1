/** Exchange calendar rules as plain JSON (zod schemas) and the date arithmetic that turns a rule and a year into a day. */
import { z } from 'zod';

const DAY = 86_400_000;

/** A weekday number as in `Date.getUTCDay()`: 0 Sunday, 1 Monday, ... 6 Saturday. */
export const WeekdaySchema = z.number().int().min(0).max(6);

function isRealDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return true; // the regex reports it
  const [y, m, d] = text.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10) === text;
}

/** A calendar date `YYYY-MM-DD`. */
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine(isRealDate, { message: 'expected a real calendar date' });

/** A local time `HH:MM` (24 hours). */
export const TimeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time as HH:MM');

const Year = z.number().int().min(1800).max(2200);
const Month = z.number().int().min(1).max(12);
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const common = {
  /** What the day is called (`Good Friday`). */
  name: z.string().min(1),
  /** First year the rule applies (inclusive). */
  from: Year.optional(),
  /** Last year the rule applies (inclusive). */
  to: Year.optional(),
  /** Days added after the rule's date (and its observance): `1` gives the day after Thanksgiving. Default 0. */
  offset: z.number().int().min(-366).max(366).default(0),
  /** Keep the day only when it falls on one of these weekdays (for example Christmas Eve only Monday to Thursday). */
  weekdays: z.array(WeekdaySchema).min(1).max(7).optional(),
  /** Early closes only: the local closing time that day, when it differs from the calendar's `sessions.earlyClose`. */
  close: TimeOfDaySchema.optional(),
};

/**
 * One rule for a recurring holiday or early close, as plain JSON:
 * - `fixed`: a month and day, with an `observe` rule for weekends (`nearest-weekday`: Saturday to Friday and
 *   Sunday to Monday; `sunday-to-monday`; `saturday-to-friday`; `next-monday`: Saturday or Sunday to Monday;
 *   `none`). Observance refers to Saturday and Sunday whatever the calendar's weekend is.
 * - `nth-weekday`: the n-th given weekday of a month (`n: -1` is the last), like Thanksgiving.
 * - `easter`: Western (Gregorian) Easter Sunday plus `offset` days (`-2` is Good Friday).
 */
export const CalendarRuleSchema = z.discriminatedUnion('kind', [
  z
    .object({
      /** A month and day every year. */
      kind: z.literal('fixed'),
      /** 1 (January) to 12. */
      month: Month,
      /** Day of the month. */
      day: z.number().int().min(1).max(31),
      /** Where a day on a weekend is observed (default `none`). */
      observe: z
        .enum(['none', 'nearest-weekday', 'sunday-to-monday', 'saturday-to-friday', 'next-monday'])
        .default('none'),
      ...common,
    })
    .strict()
    .refine((r) => r.day <= DAYS_IN_MONTH[r.month - 1], { message: 'no such day in that month', path: ['day'] }),
  z
    .object({
      /** The n-th weekday of a month. */
      kind: z.literal('nth-weekday'),
      /** 1 (January) to 12. */
      month: Month,
      /** 0 Sunday ... 6 Saturday. */
      weekday: WeekdaySchema,
      /** 1 to 5, or -1 for the last. */
      n: z
        .number()
        .int()
        .min(-1)
        .max(5)
        .refine((n) => n !== 0, { message: 'n is 1..5, or -1 for the last' }),
      ...common,
    })
    .strict(),
  z
    .object({
      /** Easter Sunday plus `offset` days. */
      kind: z.literal('easter'),
      ...common,
    })
    .strict(),
]);

/**
 * A holiday or early-close rule of an exchange calendar, as plain JSON: `fixed` (a month and day, with an
 * `observe` rule for weekends), `nth-weekday` (the n-th weekday of a month, `n: -1` the last) or `easter`
 * (Easter Sunday plus `offset` days); each limited to years with `from`/`to`, shifted with `offset`, kept only
 * on some `weekdays`, and, for early closes, with its own `close` time.
 */
export type CalendarRule = z.input<typeof CalendarRuleSchema>;
/** @internal */
export type ParsedCalendarRule = z.output<typeof CalendarRuleSchema>;

/** The epoch day (days since 1970-01-01 UTC) of a UTC calendar date. @internal */
export function epochDay(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY;
}

/** The UTC weekday of an epoch day. @internal */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Western Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher) as an epoch day. @internal */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return epochDay(year, month, day);
}

function nthWeekday(year: number, month: number, weekday: number, n: number): number | undefined {
  if (n === -1) {
    const last = epochDay(year, month + 1, 0);
    return last - ((weekdayOf(last) - weekday + 7) % 7);
  }
  const first = epochDay(year, month, 1);
  const day = first + ((weekday - weekdayOf(first) + 7) % 7) + 7 * (n - 1);
  return new Date(day * DAY).getUTCMonth() === month - 1 ? day : undefined;
}

function observed(day: number, rule: ParsedCalendarRule & { kind: 'fixed' }): number {
  const dow = weekdayOf(day);
  switch (rule.observe) {
    case 'nearest-weekday':
      return dow === 6 ? day - 1 : dow === 0 ? day + 1 : day;
    case 'sunday-to-monday':
      return dow === 0 ? day + 1 : day;
    case 'saturday-to-friday':
      return dow === 6 ? day - 1 : day;
    case 'next-monday':
      return dow === 6 ? day + 2 : dow === 0 ? day + 1 : day;
    default:
      return day;
  }
}

/**
 * The epoch day a rule gives in a year (the rule's own year, before observance moves it), or undefined when
 * the rule does not apply that year or its day is filtered out by `weekdays`.
 * @internal
 */
export function ruleDay(rule: ParsedCalendarRule, year: number): number | undefined {
  if ((rule.from !== undefined && year < rule.from) || (rule.to !== undefined && year > rule.to)) return undefined;
  let day: number | undefined;
  if (rule.kind === 'fixed') {
    if (rule.month === 2 && rule.day === 29 && epochDay(year, 3, 1) - epochDay(year, 2, 28) !== 2) return undefined;
    day = observed(epochDay(year, rule.month, rule.day), rule);
  } else if (rule.kind === 'nth-weekday') {
    day = nthWeekday(year, rule.month, rule.weekday, rule.n);
  } else {
    day = easterSunday(year);
  }
  if (day === undefined) return undefined;
  day += rule.offset;
  return rule.weekdays && !rule.weekdays.includes(weekdayOf(day)) ? undefined : day;
}
