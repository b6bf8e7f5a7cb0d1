/**
 * Which day an intraday bar belongs to: a fixed 24-hour day that ends at a cut-off in a time zone (currencies,
 * crypto), or an exchange's session from its calendar (time zone, trading days, early closes). Bars arrive in time
 * order, so the current day is cached and only a new day costs time-zone arithmetic.
 */
import { ExchangeCalendar } from '../data/calendar/calendar.js';
import { calendarByName } from '../data/calendar/calendar-nyse.js';
import { checkTimeZone, localToUtc, zoneOffset } from '../data/calendar/time-zone.js';
import { DataError } from '../errors.js';
import { vocabulary as v } from '../vocabulary.js';

const DAY = 86_400_000;

/** How bars are grouped into days. @internal */
export type DayRule =
  | { session: '24h'; cutoffMs: number; timeZone: string }
  | { session: 'exchange'; calendar: ExchangeCalendar };

/** One day (or session): its date and where it starts and ends. @internal */
export interface BarDay {
  /** The day's date as a day number (epoch ms / 86,400,000); it is stamped 00:00 UTC of that date. */
  label: number;
  /** First instant of the day or session, epoch ms (inclusive). */
  start: number;
  /** End of the day or session, epoch ms (exclusive). */
  end: number;
}

/** The options that say how bars make days, shared by {@link resampleBars} and {@link realizedMeasures}. @internal */
export const dayFields = {
  /** `24h` (fixed days; default without a calendar) or `exchange` (the calendar's sessions; default with one). */
  session: v.session.optional(),
  /** The calendar of `session: 'exchange'`: a built-in name (`nyse`) or an ExchangeCalendar with `sessions`. */
  calendar: v.calendar.optional(),
  /** `24h` days: the local time a day ends at (default `00:00`: days from 00:00 to 24:00). */
  cutoff: v.cutoff.withDefault(),
  /** `24h` days: the time zone of the cut-off (default `UTC`). */
  timezone: v.timezone.withDefault(),
  /** What a bar's timestamp marks: its `start` (default) or its `end`. */
  stamp: v.stamp.withDefault(),
  /** Drop days with fewer bars (default 1: every day with a bar is kept). */
  minBars: v.minBars.withDefault(),
};

/** The day rule of parsed options. @internal */
export function dayRule(o: {
  session?: '24h' | 'exchange' | undefined;
  calendar?: unknown;
  cutoff: string;
  timezone: string;
}): DayRule {
  const session = o.session ?? (o.calendar === undefined ? '24h' : 'exchange');
  if (session === '24h') {
    if (o.calendar !== undefined)
      throw new DataError(
        "session '24h' makes fixed days and reads no calendar: received one",
        {},
        { hint: "use session: 'exchange' for the calendar's sessions, or leave the calendar out" },
      );
    return { session, cutoffMs: timeOfDayMs(o.cutoff), timeZone: o.timezone };
  }
  if (o.cutoff !== '00:00' || o.timezone !== 'UTC') {
    throw new DataError(
      `cutoff and timezone shape fixed 24-hour days; exchange sessions follow the calendar's hours: ` +
        `received cutoff ${o.cutoff}, timezone ${o.timezone}`,
      {},
      { hint: "use session: '24h' for a cut-off" },
    );
  }
  if (o.calendar === undefined)
    throw new DataError(
      "session 'exchange' needs a calendar: received none",
      {},
      { hint: "pass calendar: 'nyse' (or an ExchangeCalendar with sessions), or use session: '24h'" },
    );
  const calendar = typeof o.calendar === 'string' ? calendarByName(o.calendar) : (o.calendar as ExchangeCalendar);
  if (!(calendar instanceof ExchangeCalendar))
    throw new DataError('calendar must be a calendar name or an ExchangeCalendar');
  return { session, calendar };
}

/** `HH:MM` -> ms after midnight. @internal */
export function timeOfDayMs(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return (h * 60 + m) * 60_000;
}

/**
 * Assigns bars to days. A bar stamped at its start belongs to the day holding its timestamp; a bar stamped at its
 * end (`stamp: 'end'`) to the day holding the instant just before it, so a bar that ends at the close is in the
 * session and one that ends at the open is not. @internal
 */
export class DayAssigner {
  readonly #rule: DayRule;
  readonly #shift: number;
  #day: BarDay | undefined;
  /** Exchange sessions: the UTC span of the cached local date, and its session (undefined when closed). */
  #local: { from: number; to: number; session: BarDay | undefined } | undefined;

  constructor(rule: DayRule, stamp: 'start' | 'end') {
    this.#rule = rule;
    this.#shift = stamp === 'end' ? -1 : 0;
    if (rule.session === '24h') checkTimeZone(rule.timeZone);
    else sessionHours(rule.calendar);
  }

  /**
   * The day a bar belongs to, or undefined when it falls outside every session (exchange sessions only).
   * @param t - the bar's timestamp, epoch ms
   */
  dayOf(t: number): BarDay | undefined {
    const at = t + this.#shift;
    const day = this.#day;
    if (day && at >= day.start && at < day.end) return day;
    const rule = this.#rule;
    this.#day = rule.session === '24h' ? fixedDay(rule, at) : this.session(rule.calendar, at);
    return this.#day;
  }

  private session(calendar: ExchangeCalendar, at: number): BarDay | undefined {
    let local = this.#local;
    if (!local || at < local.from || at >= local.to) {
      const hours = sessionHours(calendar);
      const date = Math.floor((at + zoneOffset(hours.timezone, at)) / DAY);
      local = {
        from: localToUtc(hours.timezone, date * DAY),
        to: localToUtc(hours.timezone, (date + 1) * DAY),
        session: sessionOn(calendar, date),
      };
      this.#local = local;
    }
    const s = local.session;
    return s && at >= s.start && at < s.end ? s : undefined;
  }
}

function fixedDay(rule: { cutoffMs: number; timeZone: string }, at: number): BarDay {
  const c = rule.cutoffMs;
  // A day ends at the cut-off and carries the date it ends on (for 00:00, the date it covers).
  const carry = c > 0 ? 1 : 0;
  const label = Math.floor((at + zoneOffset(rule.timeZone, at) - c) / DAY) + carry;
  const startLocal = (label - carry) * DAY + c;
  return { label, start: localToUtc(rule.timeZone, startLocal), end: localToUtc(rule.timeZone, startLocal + DAY) };
}

function sessionHours(calendar: ExchangeCalendar): NonNullable<ExchangeCalendar['sessions']> {
  const hours = calendar.sessions;
  if (!hours) {
    throw new DataError(
      `calendar "${calendar.name}" gives no trading hours, so its sessions are unknown`,
      {},
      { hint: "add sessions: { timezone, open, close, earlyClose } to the calendar, or use session: '24h'" },
    );
  }
  checkTimeZone(hours.timezone);
  return hours;
}

/** The session on a local date, or undefined when the exchange is closed that day. */
function sessionOn(calendar: ExchangeCalendar, date: number): BarDay | undefined {
  if (!calendar.isTradingDay(date * DAY)) return undefined;
  const hours = sessionHours(calendar);
  let close = hours.close;
  if (calendar.isEarlyClose(date * DAY)) {
    const early = calendar.earlyCloses(date * DAY, date * DAY)[0]?.close;
    if (!early)
      throw new DataError(
        `calendar "${calendar.name}" closes early on ${new Date(date * DAY).toISOString().slice(0, 10)} ` +
          'but gives no closing time',
        {},
        { hint: 'add sessions.earlyClose (or a close on the rule) to the calendar' },
      );
    close = early;
  }
  const start = localToUtc(hours.timezone, date * DAY + timeOfDayMs(hours.open));
  const end = localToUtc(hours.timezone, date * DAY + timeOfDayMs(close));
  return { label: date, start, end };
}
