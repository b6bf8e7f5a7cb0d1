/** Exchange calendars: which days an exchange trades and closes early, from rules, lists of dates, or both. */
import { z } from 'zod';
import { DataError } from '../../errors.js';
import { parseOptions } from '../../validate.js';
import {
  CalendarRuleSchema,
  epochDay,
  IsoDateSchema,
  ruleDay,
  TimeOfDaySchema,
  weekdayOf,
  WeekdaySchema,
  type ParsedCalendarRule,
} from './calendar-rules.js';

const DAY = 86_400_000;
/** How far {@link ExchangeCalendar.nextTradingDay} looks before deciding the calendar never opens. */
const MAX_CLOSED_RUN = 366;

/** An exchange calendar as plain JSON: weekend, holiday rules and dates, early-close rules and dates. */
export const CalendarSpecSchema = z
  .object({
    /** The calendar's name (`NYSE`). */
    name: z.string().min(1),
    /** Weekdays the exchange never trades (0 Sunday ... 6 Saturday). Default Saturday and Sunday. */
    weekend: z
      .array(WeekdaySchema)
      .max(6, 'a calendar needs at least one weekday it can trade on')
      .refine((w) => new Set(w).size === w.length, { message: 'a weekday is listed twice' })
      .default([0, 6]),
    /** Recurring full-day closures (see {@link CalendarRule}). */
    holidays: z.array(CalendarRuleSchema).default([]),
    /** One-off full-day closures, `YYYY-MM-DD` (for example 2001-09-11), or a whole list of closed dates. */
    closedDates: z.array(IsoDateSchema).default([]),
    /** Recurring early closes (see {@link CalendarRule}). */
    earlyCloses: z.array(CalendarRuleSchema).default([]),
    /** One-off early closes, `YYYY-MM-DD`. */
    earlyCloseDates: z.array(IsoDateSchema).default([]),
    /** Trading hours in the exchange's time zone, for display and reports. */
    sessions: z
      .object({
        /** IANA time zone (`America/New_York`). */
        timezone: z.string().min(1),
        /** Regular open, `HH:MM`. */
        open: TimeOfDaySchema,
        /** Regular close, `HH:MM`. */
        close: TimeOfDaySchema,
        /** Close on early-close days, `HH:MM`. */
        earlyClose: TimeOfDaySchema.optional(),
      })
      .strict()
      .optional(),
    /** First date the calendar vouches for; asking about an earlier date is a DataError. */
    validFrom: IsoDateSchema.optional(),
    /** Last date the calendar vouches for (a list of closed dates ends somewhere); later dates are a DataError. */
    validUntil: IsoDateSchema.optional(),
  })
  .strict();

/** An exchange calendar definition as plain JSON: weekend, holiday rules and dates, early-close rules and dates, sessions, validity. */
export type CalendarSpec = z.input<typeof CalendarSpecSchema>;
type ParsedSpec = z.output<typeof CalendarSpecSchema>;

/** A dated holiday or early close. */
export interface CalendarDay {
  /** The date, `YYYY-MM-DD`. */
  date: string;
  /** Its name (`Good Friday`, or `closed` / `early close` for dates given as a list). */
  name: string;
  /** Early closes: the local closing time, `HH:MM`, when known. */
  close?: string;
}

interface YearDays {
  closed: Map<number, string>;
  early: Map<number, { name: string; close?: string | undefined }>;
}

const isoOf = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
const dayOfIso = (text: string) => Date.parse(text) / DAY;
const yearOf = (day: number) => new Date(day * DAY).getUTCFullYear();

function toDay(t: Date | number): number {
  const ms = +t;
  if (!Number.isFinite(ms)) throw new DataError(`expected a Date or epoch ms, received ${String(t)}`);
  return Math.floor(ms / DAY);
}

/**
 * An exchange calendar: trading days, holidays and early closes. A day is the UTC calendar date of a
 * timestamp, which is how stockcast stamps daily bars (00:00 UTC of the exchange's local date).
 * Build one with {@link ExchangeCalendar.create}, or use {@link nyseCalendar}.
 *
 * @example
 * ```ts
 * import { ExchangeCalendar } from 'stockcast';
 * const xetraLike = ExchangeCalendar.create({
 *   name: 'Example',
 *   holidays: [{ kind: 'easter', offset: -2, name: 'Good Friday' }, { kind: 'fixed', month: 12, day: 25, name: 'Christmas' }],
 *   closedDates: ['2024-12-31'],
 * });
 * xetraLike.isTradingDay(Date.UTC(2024, 2, 29)); // false: Good Friday
 * ```
 */
export class ExchangeCalendar {
  readonly #spec: ParsedSpec;
  readonly #weekend: Set<number>;
  readonly #years = new Map<number, YearDays>();
  readonly #from: number;
  readonly #until: number;

  private constructor(spec: ParsedSpec) {
    this.#spec = spec;
    this.#weekend = new Set(spec.weekend);
    this.#from = spec.validFrom ? dayOfIso(spec.validFrom) : -Infinity;
    this.#until = spec.validUntil ? dayOfIso(spec.validUntil) : Infinity;
    if (this.#from > this.#until)
      throw new DataError(
        `calendar "${spec.name}": validFrom ${spec.validFrom} is after validUntil ${spec.validUntil}`,
      );
  }

  /**
   * Validates a calendar definition and builds the calendar.
   *
   * @param spec - see {@link CalendarSpec}; rules, lists of dates, or both
   * @returns the calendar
   * @throws {@link ValidationError} for an invalid definition (a weekend of seven days, a bad date or rule)
   * @throws {@link DataError} when validFrom is after validUntil
   * @example
   * ```ts
   * import { ExchangeCalendar } from 'stockcast';
   * // A list of closed dates is a calendar too; say until when it is complete.
   * const cal = ExchangeCalendar.create({ name: 'Listed', closedDates: ['2025-01-01', '2025-12-25'], validUntil: '2025-12-31' });
   * ```
   */
  static create(spec: CalendarSpec): ExchangeCalendar {
    return new ExchangeCalendar(parseOptions(CalendarSpecSchema, spec, 'calendar'));
  }

  /** The calendar's name. */
  get name(): string {
    return this.#spec.name;
  }

  /** Trading hours, when the definition gives them. */
  get sessions(): ParsedSpec['sessions'] {
    return this.#spec.sessions ? { ...this.#spec.sessions } : undefined;
  }

  /**
   * The definition as plain JSON (defaults filled in); `ExchangeCalendar.create(cal.toJSON())` rebuilds it.
   * @returns the definition
   */
  toJSON(): ParsedSpec {
    return structuredClone(this.#spec);
  }

  /**
   * Whether the exchange trades on the date of `t`: not a weekend day, not a holiday.
   *
   * @param t - a Date or epoch ms (its UTC date counts)
   * @returns true on trading days
   * @throws {@link DataError} for a date outside validFrom..validUntil
   */
  isTradingDay(t: Date | number): boolean {
    const day = this.checked(toDay(t));
    return !this.#weekend.has(weekdayOf(day)) && !this.yearDays(yearOf(day)).closed.has(day);
  }

  /**
   * Whether the date of `t` is a holiday: a weekday (not a weekend day) on which the exchange is closed.
   * @param t - a Date or epoch ms
   * @returns true on holidays
   * @throws {@link DataError} for a date outside validFrom..validUntil
   */
  isHoliday(t: Date | number): boolean {
    const day = this.checked(toDay(t));
    return !this.#weekend.has(weekdayOf(day)) && this.yearDays(yearOf(day)).closed.has(day);
  }

  /**
   * Whether the exchange trades on the date of `t` but closes early.
   * @param t - a Date or epoch ms
   * @returns true on early-close trading days
   * @throws {@link DataError} for a date outside validFrom..validUntil
   */
  isEarlyClose(t: Date | number): boolean {
    return this.isTradingDay(t) && this.yearDays(yearOf(toDay(t))).early.has(toDay(t));
  }

  /**
   * The holidays (closed weekdays) from `from` to `to`, both inclusive.
   * @param from - a Date or epoch ms
   * @param to - a Date or epoch ms
   * @returns one entry per holiday, in date order
   * @throws {@link DataError} for dates outside validFrom..validUntil
   */
  holidays(from: Date | number, to: Date | number): CalendarDay[] {
    return this.collect(from, to, (day, y) =>
      this.#weekend.has(weekdayOf(day))
        ? undefined
        : y.closed.has(day)
          ? { date: isoOf(day), name: y.closed.get(day)! }
          : undefined,
    );
  }

  /**
   * The early closes from `from` to `to`, both inclusive (days that are holidays are not early closes).
   * @param from - a Date or epoch ms
   * @param to - a Date or epoch ms
   * @returns one entry per early close, with its closing time when known
   * @throws {@link DataError} for dates outside validFrom..validUntil
   */
  earlyCloses(from: Date | number, to: Date | number): CalendarDay[] {
    const fallback = this.#spec.sessions?.earlyClose;
    return this.collect(from, to, (day, y) => {
      const early = y.early.get(day);
      if (!early || this.#weekend.has(weekdayOf(day)) || y.closed.has(day)) return undefined;
      const close = early.close ?? fallback;
      return { date: isoOf(day), name: early.name, ...(close ? { close } : {}) };
    });
  }

  /**
   * The trading days from `from` to `to`, both inclusive, as epoch ms at 00:00 UTC.
   * @param from - a Date or epoch ms
   * @param to - a Date or epoch ms
   * @returns the trading days
   * @throws {@link DataError} for dates outside validFrom..validUntil
   */
  tradingDays(from: Date | number, to: Date | number): Float64Array {
    const out: number[] = [];
    for (let day = toDay(from); day <= toDay(to); day++) if (this.isTradingDay(day * DAY)) out.push(day * DAY);
    return Float64Array.from(out);
  }

  /**
   * The first trading day strictly after the date of `t`, keeping `t`'s time of day.
   *
   * @param t - a Date or epoch ms
   * @returns epoch ms of the next trading day
   * @throws {@link DataError} when the calendar is closed on every one of the next 366 days, or the search
   *   passes validUntil
   * @example
   * ```ts
   * import { nyseCalendar } from 'stockcast';
   * new Date(nyseCalendar().nextTradingDay(Date.UTC(2024, 2, 28))).toISOString(); // '2024-04-01T00:00:00.000Z' (Good Friday skipped)
   * ```
   */
  nextTradingDay(t: Date | number): number {
    const ms = +t;
    const start = toDay(ms);
    for (let k = 1; k <= MAX_CLOSED_RUN; k++) {
      if (this.isTradingDay((start + k) * DAY)) return ms + k * DAY;
    }
    throw new DataError(
      `calendar "${this.name}" has no trading day in the ${MAX_CLOSED_RUN} days after ${isoOf(start)}: it closes every day`,
      {},
      { hint: 'check the calendar: its weekend, holidays and closed dates leave no day open' },
    );
  }

  private checked(day: number): number {
    if (day < this.#from || day > this.#until) {
      throw new DataError(
        `calendar "${this.name}" knows trading days from ${this.#spec.validFrom ?? 'any date'} to ${this.#spec.validUntil ?? 'any date'}: received ${isoOf(day)}`,
        {},
        { hint: 'extend the calendar (closedDates, validUntil), or leave it out' },
      );
    }
    return day;
  }

  private collect(
    from: Date | number,
    to: Date | number,
    pick: (day: number, y: YearDays) => CalendarDay | undefined,
  ): CalendarDay[] {
    const out: CalendarDay[] = [];
    const last = this.checked(toDay(to));
    for (let day = this.checked(toDay(from)); day <= last; day++) {
      const found = pick(day, this.yearDays(yearOf(day)));
      if (found) out.push(found);
    }
    return out;
  }

  /** The closures and early closes that fall in a year (rules of the neighbouring years can move days into it). */
  private yearDays(year: number): YearDays {
    let found = this.#years.get(year);
    if (found) return found;
    const lo = epochDay(year, 1, 1);
    const hi = epochDay(year + 1, 1, 1);
    const inYear = (rules: ParsedCalendarRule[], each: (day: number, rule: ParsedCalendarRule) => void) => {
      for (const rule of rules) {
        for (const y of [year - 1, year, year + 1]) {
          const day = ruleDay(rule, y);
          if (day !== undefined && day >= lo && day < hi) each(day, rule);
        }
      }
    };
    found = { closed: new Map(), early: new Map() };
    const { closed, early } = found;
    inYear(this.#spec.holidays, (day, rule) => closed.set(day, rule.name));
    for (const d of this.#spec.closedDates)
      if (d.startsWith(String(year))) closed.set(dayOfIso(d), closed.get(dayOfIso(d)) ?? 'closed');
    inYear(this.#spec.earlyCloses, (day, rule) => early.set(day, { name: rule.name, close: rule.close }));
    for (const d of this.#spec.earlyCloseDates)
      if (d.startsWith(String(year))) early.set(dayOfIso(d), early.get(dayOfIso(d)) ?? { name: 'early close' });
    this.#years.set(year, found);
    return found;
  }
}
