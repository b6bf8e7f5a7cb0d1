import { describe, expect, it } from 'vitest';
import { CALENDAR_FEATURES, calendarFeatures, DataError, nyseCalendar } from '../../src/index.js';

const d = (y: number, m: number, day: number) => Date.UTC(y, m - 1, day);
const one = (t: number, calendar = nyseCalendar()) =>
  Object.fromEntries([...calendarFeatures([t], { calendar })].map(([k, v]) => [k, v[0]]));

describe('calendarFeatures', () => {
  it('derives every feature, hand-checked on NYSE dates', () => {
    expect(CALENDAR_FEATURES).toHaveLength(8);
    // Wednesday 2024-11-27: Thanksgiving (Thu 28th) next; Nov 29 (early close) is the month's last trading day.
    expect(one(d(2024, 11, 27))).toEqual({
      dayOfWeek: 0.5,
      month: Math.fround(10 / 11),
      dayOfMonth: Math.fround(26 / 30),
      tradingDaysToMonthEnd: Math.fround(1 / 22),
      tradingDaysToQuarterEnd: Math.fround(22 / 64),
      beforeHoliday: 1,
      afterHoliday: 0,
      earlyClose: 0,
    });
    // Friday 2024-11-29: the early close after Thanksgiving; the last trading day of November.
    expect(one(d(2024, 11, 29))).toMatchObject({
      dayOfWeek: 1,
      tradingDaysToMonthEnd: 0,
      afterHoliday: 1,
      beforeHoliday: 0,
      earlyClose: 1,
    });
    // Monday 2024-04-01, after Good Friday.
    expect(one(d(2024, 4, 1))).toMatchObject({
      dayOfWeek: 0,
      month: Math.fround(3 / 11),
      dayOfMonth: 0,
      afterHoliday: 1,
    });
  });

  it('without a calendar: Monday to Friday, no holidays', () => {
    const f = calendarFeatures([d(2024, 11, 27)], { features: ['beforeHoliday', 'tradingDaysToMonthEnd'] });
    expect([...f.keys()]).toEqual(['beforeHoliday', 'tradingDaysToMonthEnd']);
    expect(f.get('beforeHoliday')![0]).toBe(0);
    expect(f.get('tradingDaysToMonthEnd')![0]).toBe(Math.fround(2 / 22)); // Thu 28, Fri 29
  });

  it('is pure: the same date gives the same numbers wherever it appears; inputs are not changed', () => {
    const ts = Float64Array.of(d(2025, 1, 8), d(2025, 1, 9), d(2025, 1, 8));
    const f = calendarFeatures(ts, { calendar: nyseCalendar() });
    for (const v of f.values()) expect(v[0]).toBe(v[2]);
    expect(f.get('beforeHoliday')![0]).toBe(1); // Carter's day of mourning on the 9th
    expect(Array.from(ts)).toEqual([d(2025, 1, 8), d(2025, 1, 9), d(2025, 1, 8)]);
  });

  it('rejects unknown features and bad timestamps', () => {
    expect(() => calendarFeatures([0], { features: ['weekOfYear' as never] })).toThrow(DataError);
    expect(() => calendarFeatures([0], { features: ['weekOfYear' as never] })).toThrow(
      /unknown calendar feature "weekOfYear": expected one of dayOfWeek, month/,
    );
    expect(() => calendarFeatures([Number.NaN])).toThrow(/timestamp 0 is not a finite epoch-ms value/);
  });
});
