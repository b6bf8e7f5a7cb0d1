/** The New York Stock Exchange calendar (holidays, observance, early closes, special closings) and calendars by name. */
import { DataError } from '../../errors.js';
import { ExchangeCalendar, type CalendarSpec } from './calendar.js';

const MON_TO_THU = [1, 2, 3, 4];

/**
 * The NYSE calendar from 1990 on, as plain JSON: NYSE Rule 7.2 holidays with their observance (a holiday on a
 * Saturday is observed the Friday before, on a Sunday the Monday after, except New Year's Day on a Saturday,
 * which is not observed), the regular 1 pm early closes, and the special closings since 1990 as dates.
 * Checked day by day against exchange_calendars' NYSE sessions (1990-2023), pandas_market_calendars' list
 * of NYSE holidays, and NYSE's announced schedule to 2027 (fixtures/calendars/nyse.json).
 *
 * @example
 * ```ts
 * import { ExchangeCalendar, NYSE_CALENDAR_SPEC } from 'stockcast';
 * // NYSE plus a closure it did not announce yet:
 * const cal = ExchangeCalendar.create({ ...NYSE_CALENDAR_SPEC, name: 'NYSE (amended)', closedDates: [...(NYSE_CALENDAR_SPEC.closedDates ?? []), '2031-01-02'] });
 * ```
 */
export const NYSE_CALENDAR_SPEC: Readonly<CalendarSpec> = Object.freeze({
  name: 'NYSE',
  weekend: [0, 6],
  holidays: [
    { kind: 'fixed', month: 1, day: 1, observe: 'sunday-to-monday', name: "New Year's Day" },
    { kind: 'nth-weekday', month: 1, weekday: 1, n: 3, from: 1998, name: 'Martin Luther King Jr. Day' },
    { kind: 'nth-weekday', month: 2, weekday: 1, n: 3, name: "Washington's Birthday" },
    { kind: 'easter', offset: -2, name: 'Good Friday' },
    { kind: 'nth-weekday', month: 5, weekday: 1, n: -1, name: 'Memorial Day' },
    {
      kind: 'fixed',
      month: 6,
      day: 19,
      observe: 'nearest-weekday',
      from: 2022,
      name: 'Juneteenth National Independence Day',
    },
    { kind: 'fixed', month: 7, day: 4, observe: 'nearest-weekday', name: 'Independence Day' },
    { kind: 'nth-weekday', month: 9, weekday: 1, n: 1, name: 'Labor Day' },
    { kind: 'nth-weekday', month: 11, weekday: 4, n: 4, name: 'Thanksgiving Day' },
    { kind: 'fixed', month: 12, day: 25, observe: 'nearest-weekday', name: 'Christmas Day' },
  ],
  closedDates: [
    '1994-04-27', // Richard Nixon, national day of mourning
    '2001-09-11',
    '2001-09-12',
    '2001-09-13',
    '2001-09-14', // September 11 attacks
    '2004-06-11', // Ronald Reagan, national day of mourning
    '2007-01-02', // Gerald Ford, national day of mourning
    '2012-10-29',
    '2012-10-30', // Hurricane Sandy
    '2018-12-05', // George H. W. Bush, national day of mourning
    '2025-01-09', // Jimmy Carter, national day of mourning
  ],
  earlyCloses: [
    { kind: 'fixed', month: 7, day: 3, weekdays: [1, 2, 4], from: 1995, name: 'Day before Independence Day' },
    { kind: 'fixed', month: 7, day: 3, weekdays: [3], from: 2013, name: 'Day before Independence Day' },
    { kind: 'fixed', month: 7, day: 5, weekdays: [5], from: 1995, to: 2012, name: 'Day after Independence Day' },
    { kind: 'nth-weekday', month: 11, weekday: 4, n: 4, offset: 1, from: 1993, name: 'Day after Thanksgiving' },
    {
      kind: 'nth-weekday',
      month: 11,
      weekday: 4,
      n: 4,
      offset: 1,
      from: 1992,
      to: 1992,
      close: '14:00',
      name: 'Day after Thanksgiving',
    },
    { kind: 'fixed', month: 12, day: 24, weekdays: MON_TO_THU, from: 1993, name: 'Christmas Eve' },
    { kind: 'fixed', month: 12, day: 24, weekdays: MON_TO_THU, to: 1992, close: '14:00', name: 'Christmas Eve' },
  ],
  earlyCloseDates: ['1997-12-26', '1999-12-31', '2003-12-26'],
  sessions: { timezone: 'America/New_York', open: '09:30', close: '16:00', earlyClose: '13:00' },
  validFrom: '1990-01-01',
} satisfies CalendarSpec);

let nyse: ExchangeCalendar | undefined;

/**
 * The NYSE calendar (see {@link NYSE_CALENDAR_SPEC}). Nasdaq keeps the same holidays.
 *
 * @returns the calendar (one shared, immutable instance)
 * @example
 * ```ts
 * import { nyseCalendar } from 'stockcast';
 * nyseCalendar().isTradingDay(Date.UTC(2001, 8, 12)); // false: closed after September 11
 * nyseCalendar().isEarlyClose(Date.UTC(2024, 10, 29)); // true: the day after Thanksgiving
 * ```
 */
export function nyseCalendar(): ExchangeCalendar {
  nyse ??= ExchangeCalendar.create(NYSE_CALENDAR_SPEC);
  return nyse;
}

/** Names {@link calendarByName} knows. */
export const CALENDAR_NAMES = ['nyse', 'nasdaq'] as const;

/**
 * A built-in calendar by name, case-insensitively: `nyse` (also `xnys`) and `nasdaq` (also `xnas`; the NYSE
 * holidays under Nasdaq's name). This is what the CLI's `--calendar` takes.
 *
 * @param name - the calendar's name
 * @returns the calendar
 * @throws {@link DataError} for a name it does not know (the message lists the names it knows)
 * @example
 * ```ts
 * import { calendarByName } from 'stockcast';
 * calendarByName('NYSE').name; // 'NYSE'
 * ```
 */
export function calendarByName(name: string): ExchangeCalendar {
  const key = String(name).trim().toLowerCase();
  if (key === 'nyse' || key === 'xnys') return nyseCalendar();
  if (key === 'nasdaq' || key === 'xnas') return ExchangeCalendar.create({ ...NYSE_CALENDAR_SPEC, name: 'NASDAQ' });
  throw new DataError(
    `no built-in calendar "${name}": the built-in calendars are ${CALENDAR_NAMES.join(', ')}`,
    {},
    { hint: 'define another exchange with ExchangeCalendar.create({ name, holidays, closedDates })' },
  );
}
