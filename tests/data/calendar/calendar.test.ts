import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  calendarByName,
  DataError,
  ExchangeCalendar,
  NYSE_CALENDAR_SPEC,
  nyseCalendar,
  ValidationError,
} from '../../../src/index.js';
import { easterSunday } from '../../../src/data/calendar/calendar-rules.js';

interface KnownCalendar {
  from: string;
  to: string;
  closedWeekdays?: string[];
  closedDays?: string[];
  earlyCloses?: Array<{ date: string; close: string }>;
}
const known = JSON.parse(readFileSync('fixtures/calendars/nyse.json', 'utf8')) as Record<
  'exchangeCalendars' | 'pandasMarketCalendars' | 'published',
  KnownCalendar
>;
const t = (iso: string) => Date.parse(iso);
const weekday = (iso: string) => ![0, 6].includes(new Date(iso).getUTCDay());

describe('NYSE against known calendars (fixtures/calendars/nyse.json)', () => {
  const nyse = nyseCalendar();

  it.each([
    [
      'exchange_calendars sessions',
      known.exchangeCalendars.from,
      known.exchangeCalendars.to,
      known.exchangeCalendars.closedWeekdays!,
    ],
    [
      'pandas_market_calendars holidays',
      '1990-01-02',
      known.pandasMarketCalendars.to,
      known.pandasMarketCalendars.closedDays!,
    ],
    ['NYSE schedule 2023-2030', known.published.from, known.published.to, known.published.closedWeekdays!],
  ])('closed weekdays match %s, day by day', (_, from, to, closed) => {
    const expected = closed.filter((d) => d >= from && d <= to && weekday(d));
    expect(expected.length).toBeGreaterThan(60);
    expect(nyse.holidays(t(from), t(to)).map((h) => h.date)).toEqual(expected);
    // And the other way round: every weekday not listed is a trading day.
    const closedSet = new Set(expected);
    for (let d = t(from); d <= t(to); d += 86_400_000) {
      const iso = new Date(d).toISOString().slice(0, 10);
      if (weekday(iso)) expect(nyse.isTradingDay(d)).toBe(!closedSet.has(iso));
    }
  });

  it.each([
    ['exchange_calendars sessions', '1990-01-02', known.exchangeCalendars.to, known.exchangeCalendars.earlyCloses!],
    ['NYSE schedule 2023-2030', known.published.from, known.published.to, known.published.earlyCloses!],
  ])('early closes and their times match %s', (_, from, to, early) => {
    expect(nyse.earlyCloses(t(from), t(to)).map((e) => `${e.date} ${e.close}`)).toEqual(
      early.map((e) => `${e.date} ${e.close}`),
    );
  });

  it('names holidays and knows the rules’ edge cases', () => {
    const names = (year: number) =>
      nyse.holidays(Date.UTC(year, 0, 1), Date.UTC(year, 11, 31)).map((h) => `${h.date} ${h.name}`);
    expect(names(2022)).toEqual([
      '2022-01-17 Martin Luther King Jr. Day',
      "2022-02-21 Washington's Birthday",
      '2022-04-15 Good Friday',
      '2022-05-30 Memorial Day',
      '2022-06-20 Juneteenth National Independence Day',
      '2022-07-04 Independence Day',
      '2022-09-05 Labor Day',
      '2022-11-24 Thanksgiving Day',
      '2022-12-26 Christmas Day',
    ]);
    // New Year's Day on a Saturday is not observed on Friday Dec 31 (2021, 2010); on a Sunday it moves to Monday (2023).
    expect(nyse.isTradingDay(Date.UTC(2021, 11, 31))).toBe(true);
    expect(nyse.isTradingDay(Date.UTC(2010, 11, 31))).toBe(true);
    expect(nyse.isHoliday(Date.UTC(2023, 0, 2))).toBe(true);
    // Juneteenth only from 2022; July 4th on a Saturday closes Friday the 3rd (2020, 2026).
    expect(nyse.isTradingDay(Date.UTC(2021, 5, 18))).toBe(true);
    expect(nyse.isHoliday(Date.UTC(2026, 6, 3))).toBe(true);
    // Christmas Eve on a Friday is the observed Christmas, a full holiday, not an early close.
    expect(nyse.isHoliday(Date.UTC(2021, 11, 24))).toBe(true);
    expect(nyse.isEarlyClose(Date.UTC(2021, 11, 24))).toBe(false);
    expect(nyse.isEarlyClose(Date.UTC(2013, 6, 3))).toBe(true);
    expect(nyse.isEarlyClose(Date.UTC(2013, 6, 5))).toBe(false);
    expect(nyse.isHoliday(Date.UTC(2024, 0, 6))).toBe(false); // a Saturday is a weekend day, not a holiday
    expect(nyse.sessions).toEqual({ timezone: 'America/New_York', open: '09:30', close: '16:00', earlyClose: '13:00' });
  });

  it('refuses dates before 1990, which the NYSE rules do not cover', () => {
    expect(() => nyse.isTradingDay(Date.UTC(1985, 8, 27))).toThrow(DataError);
    expect(() => nyse.isTradingDay(Date.UTC(1985, 8, 27))).toThrow(
      'calendar "NYSE" knows trading days from 1990-01-01 to any date: received 1985-09-27',
    );
  });
});

describe('Easter', () => {
  it.each([
    [2000, '2000-04-23'],
    [2008, '2008-03-23'],
    [2011, '2011-04-24'],
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2038, '2038-04-25'],
    [2285, '2285-03-22'],
  ])('%i: %s', (year, date) => {
    expect(new Date(easterSunday(year) * 86_400_000).toISOString().slice(0, 10)).toBe(date);
  });
});

describe('other exchanges: rules, lists of dates, or both', () => {
  it('rules with observance and offsets', () => {
    const cal = ExchangeCalendar.create({
      name: 'Example',
      weekend: [5, 6],
      holidays: [
        { kind: 'fixed', month: 12, day: 26, observe: 'next-monday', name: 'Boxing Day' },
        { kind: 'easter', offset: 1, name: 'Easter Monday' },
        { kind: 'nth-weekday', month: 5, weekday: 1, n: 1, from: 2020, to: 2021, name: 'May Day' },
      ],
      earlyCloses: [{ kind: 'fixed', month: 12, day: 24, name: 'Christmas Eve', close: '12:30' }],
    });
    expect(cal.holidays(Date.UTC(2020, 0, 1), Date.UTC(2022, 11, 31)).map((h) => h.date)).toEqual([
      '2020-04-13',
      '2020-05-04',
      '2020-12-28',
      '2021-04-05',
      '2021-05-03',
      '2021-12-27',
      '2022-04-18',
      '2022-12-26',
    ]);
    expect(cal.isTradingDay(Date.UTC(2024, 0, 5))).toBe(false); // a Friday: this exchange's weekend
    expect(cal.isTradingDay(Date.UTC(2024, 0, 7))).toBe(true); // a Sunday trades
    expect(cal.earlyCloses(Date.UTC(2024, 11, 1), Date.UTC(2024, 11, 31))).toEqual([
      { date: '2024-12-24', name: 'Christmas Eve', close: '12:30' },
    ]);
  });

  it('a list of closed dates, round-tripped through JSON', () => {
    const cal = ExchangeCalendar.create({
      name: 'Listed',
      closedDates: ['2025-01-01', '2025-04-18'],
      earlyCloseDates: ['2025-12-24'],
      validFrom: '2025-01-01',
      validUntil: '2025-12-31',
    });
    expect(cal.holidays(Date.UTC(2025, 0, 1), Date.UTC(2025, 11, 31))).toEqual([
      { date: '2025-01-01', name: 'closed' },
      { date: '2025-04-18', name: 'closed' },
    ]);
    expect(cal.isEarlyClose(Date.UTC(2025, 11, 24))).toBe(true);
    const again = ExchangeCalendar.create(JSON.parse(JSON.stringify(cal.toJSON())));
    expect(again.tradingDays(Date.UTC(2025, 0, 1), Date.UTC(2025, 11, 31))).toEqual(
      cal.tradingDays(Date.UTC(2025, 0, 1), Date.UTC(2025, 11, 31)),
    );
    expect(() => cal.tradingDays(Date.UTC(2024, 11, 30), Date.UTC(2025, 0, 3))).toThrow(
      /knows trading days from 2025-01-01 to 2025-12-31: received 2024-12-30/,
    );
  });

  it('the NYSE spec is plain JSON that rebuilds the same calendar', () => {
    const copy = ExchangeCalendar.create(JSON.parse(JSON.stringify(NYSE_CALENDAR_SPEC)));
    expect(copy.holidays(Date.UTC(1990, 0, 1), Date.UTC(2030, 11, 31))).toEqual(
      nyseCalendar().holidays(Date.UTC(1990, 0, 1), Date.UTC(2030, 11, 31)),
    );
    expect(Object.isFrozen(NYSE_CALENDAR_SPEC)).toBe(true);
  });

  it('calendars by name', () => {
    expect(calendarByName('XNYS')).toBe(nyseCalendar());
    expect(calendarByName('nasdaq').name).toBe('NASDAQ');
    expect(calendarByName('nasdaq').isTradingDay(Date.UTC(2025, 0, 9))).toBe(false);
    expect(() => calendarByName('lse')).toThrow('no built-in calendar "lse": the built-in calendars are nyse, nasdaq');
  });

  it.each([
    [{ name: 'x', weekend: [0, 1, 2, 3, 4, 5, 6] }, /weekend: a calendar needs at least one weekday it can trade on/],
    [{ name: 'x', weekend: [0, 0] }, /weekend: a weekday is listed twice/],
    [{ name: 'x', closedDates: ['2025-02-30'] }, /closedDates.0: expected a real calendar date/],
    [{ name: 'x', closedDates: ['25/12/2025'] }, /closedDates.0: expected a date as YYYY-MM-DD/],
    [
      { name: 'x', holidays: [{ kind: 'fixed', month: 2, day: 30, name: 'y' }] },
      /holidays.0.day: no such day in that month/,
    ],
    [
      { name: 'x', holidays: [{ kind: 'nth-weekday', month: 2, weekday: 1, n: 0, name: 'y' }] },
      /holidays.0.n: n is 1..5, or -1 for the last/,
    ],
    [{ name: 'x', holidays: [{ kind: 'lunar', name: 'y' }] }, /holidays.0.kind/],
    [{ name: '' }, /name/],
  ])('rejects %j', (spec, message) => {
    expect(() => ExchangeCalendar.create(spec as never)).toThrow(ValidationError);
    expect(() => ExchangeCalendar.create(spec as never)).toThrow(message);
  });

  it('rejects validFrom after validUntil', () => {
    expect(() => ExchangeCalendar.create({ name: 'x', validFrom: '2025-01-02', validUntil: '2025-01-01' })).toThrow(
      DataError,
    );
  });
});
