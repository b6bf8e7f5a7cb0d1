import { describe, expect, it } from 'vitest';
import { DataError, ExchangeCalendar, futureTimestamps, inferFrequency, nyseCalendar } from '../../src/index.js';

const DAY = 86_400_000;
const iso = (ts: Float64Array) => Array.from(ts, (t) => new Date(t).toISOString().slice(0, 10));

describe('inferFrequency', () => {
  it('classifies typical spacings', () => {
    const business = Float64Array.from([4, 5, 6, 7, 8, 11, 12, 13, 14, 15].map((d) => Date.UTC(2024, 0, d)));
    expect(inferFrequency(business).frequency).toBe('daily');
    expect(inferFrequency(Float64Array.of(0, 7 * DAY, 14 * DAY)).frequency).toBe('weekly');
    expect(inferFrequency(Float64Array.from([0, 1, 2, 3].map((m) => Date.UTC(2024, m, 1)))).frequency).toBe('monthly');
    expect(inferFrequency(Float64Array.of(0, 60_000, 120_000))).toEqual({ frequency: 'intraday', stepMs: 60_000 });
    expect(inferFrequency(Float64Array.of(0)).frequency).toBe('irregular');
  });
});

describe('futureTimestamps', () => {
  it('skips weekends for daily data', () => {
    const friday = Date.UTC(2024, 0, 5);
    expect(iso(futureTimestamps(friday, { frequency: 'daily', stepMs: DAY, steps: 3 }))).toEqual([
      '2024-01-08',
      '2024-01-09',
      '2024-01-10',
    ]);
  });
  it('steps weeks, calendar months and intraday steps', () => {
    expect(iso(futureTimestamps(Date.UTC(2021, 7, 22), { frequency: 'weekly', stepMs: 7 * DAY, steps: 2 }))).toEqual([
      '2021-08-29',
      '2021-09-05',
    ]);
    expect(iso(futureTimestamps(Date.UTC(2024, 0, 31), { frequency: 'monthly', stepMs: 30 * DAY, steps: 2 }))).toEqual([
      '2024-02-29',
      '2024-03-31',
    ]);
    expect(Array.from(futureTimestamps(0, { frequency: 'intraday', stepMs: 60_000, steps: 2 }))).toEqual([
      60_000, 120_000,
    ]);
  });
});

describe('futureTimestamps with an exchange calendar', () => {
  const daily = { frequency: 'daily' as const, stepMs: DAY };
  it('never lands on an NYSE holiday or weekend', () => {
    // Wednesday before Christmas 2024: Christmas (Wed 25th) is skipped, the 24th is an early close but trades.
    expect(iso(futureTimestamps(Date.UTC(2024, 11, 23), { ...daily, steps: 4, calendar: nyseCalendar() }))).toEqual([
      '2024-12-24',
      '2024-12-26',
      '2024-12-27',
      '2024-12-30',
    ]);
    // Thursday before Good Friday; Monday after 9/11: closed the whole week.
    expect(iso(futureTimestamps(Date.UTC(2024, 2, 28), { ...daily, steps: 1, calendar: nyseCalendar() }))).toEqual([
      '2024-04-01',
    ]);
    expect(iso(futureTimestamps(Date.UTC(2001, 8, 10), { ...daily, steps: 1, calendar: nyseCalendar() }))).toEqual([
      '2001-09-17',
    ]);
    // Over a whole year, every step is a trading day and none is skipped.
    const sessions = nyseCalendar().tradingDays(Date.UTC(2026, 0, 1), Date.UTC(2026, 11, 31));
    expect(sessions.length).toBe(251); // 261 weekdays less 10 holidays
    const year = futureTimestamps(Date.UTC(2025, 11, 31), {
      ...daily,
      steps: sessions.length,
      calendar: nyseCalendar(),
    });
    expect(Array.from(year)).toEqual(Array.from(sessions));
    expect(iso(year).at(-1)).toBe('2026-12-31');
  });

  it('skips a run of closed days and keeps the time of day', () => {
    const closedWeek = ExchangeCalendar.create({
      name: 'Shut',
      closedDates: ['2024-01-08', '2024-01-09', '2024-01-10', '2024-01-11', '2024-01-12', '2024-01-15'],
    });
    expect(iso(futureTimestamps(Date.UTC(2024, 0, 5), { ...daily, steps: 2, calendar: closedWeek }))).toEqual([
      '2024-01-16',
      '2024-01-17',
    ]);
    const crypto = ExchangeCalendar.create({ name: '24/7', weekend: [] });
    expect(Array.from(futureTimestamps(Date.UTC(2024, 0, 5, 12), { ...daily, steps: 2, calendar: crypto }))).toEqual([
      Date.UTC(2024, 0, 6, 12),
      Date.UTC(2024, 0, 7, 12),
    ]);
  });

  it('a calendar that closes every day of the horizon is a clear error, not an endless loop', () => {
    const allDays = Array.from({ length: 400 }, (_, i) =>
      new Date(Date.UTC(2024, 0, 6) + i * DAY).toISOString().slice(0, 10),
    );
    const shut = ExchangeCalendar.create({ name: 'Shut', closedDates: allDays });
    expect(() => futureTimestamps(Date.UTC(2024, 0, 5), { ...daily, steps: 3, calendar: shut })).toThrow(DataError);
    expect(() => futureTimestamps(Date.UTC(2024, 0, 5), { ...daily, steps: 3, calendar: shut })).toThrow(
      'calendar "Shut" has no trading day in the 366 days after 2024-01-05: it closes every day',
    );
  });

  it('refuses to step past a list calendar’s validUntil', () => {
    const listed = ExchangeCalendar.create({ name: 'Listed', closedDates: ['2025-12-25'], validUntil: '2025-12-31' });
    expect(() => futureTimestamps(Date.UTC(2025, 11, 30), { ...daily, steps: 3, calendar: listed })).toThrow(
      'calendar "Listed" knows trading days from any date to 2025-12-31: received 2026-01-01',
    );
  });

  it('leaves weekly and monthly labels alone', () => {
    expect(
      iso(
        futureTimestamps(Date.UTC(2024, 11, 18), {
          frequency: 'weekly',
          stepMs: 7 * DAY,
          steps: 1,
          calendar: nyseCalendar(),
        }),
      ),
    ).toEqual(['2024-12-25']);
  });
});
