import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DataError,
  ExchangeCalendar,
  NYSE_CALENDAR_SPEC,
  readCsv,
  resampleBars,
  Series,
  ValidationError,
} from '../../src/index.js';

type Ohlcv = {
  date: string[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
  bars: number[];
};
const ref = JSON.parse(readFileSync('fixtures/realized/realized-ref.json', 'utf8')) as {
  utcDays: Ohlcv;
  nyCutoff: Ohlcv;
  nyse: Ohlcv;
  nyse30m: Ohlcv;
  outsideNyse: number;
};
const bars = await readCsv('fixtures/realized/intraday-15m.csv');
const MIN = 60_000;

function expectRows(got: Series, want: Ohlcv): void {
  expect(got.dates().map((d) => d.toISOString())).toEqual(want.date);
  for (const c of ['open', 'high', 'low', 'close', 'volume', 'bars'] as const)
    expect(Array.from(got.column(c)), c).toEqual(want[c]);
}

describe('resampleBars against pandas (scripts/realized_ref.py)', () => {
  it('fixed UTC days: OHLCV by the column rules, a bar count, stamped 00:00 UTC', () => {
    const daily = resampleBars(bars);
    expectRows(daily, ref.utcDays);
    expect(daily.meta.frequency).toBe('daily');
    expect(daily.meta.aggregation).toEqual({
      session: '24h',
      barsRead: bars.length,
      barsOutside: 0,
      partialDropped: 0,
      overnightDropped: 0,
    });
  });

  it('days ending at 17:00 New York, across the end of daylight saving', () => {
    expectRows(resampleBars(bars, { cutoff: '17:00', timezone: 'America/New_York' }), ref.nyCutoff);
  });

  it('NYSE sessions: pre- and post-market, Saturday, Thanksgiving left out, counted; the early close at 13:00', () => {
    const daily = resampleBars(bars, { calendar: 'nyse' });
    expectRows(daily, ref.nyse);
    expect(daily.meta.aggregation!.barsOutside).toBe(ref.outsideNyse);
    const early = daily.toRows().find((r) => r.date.toISOString().startsWith('2024-11-29'))!;
    expect(early.bars).toBeLessThanOrEqual(14); // 09:30 .. 12:45: fourteen 15-minute bars at most
    // A missing day is not invented.
    expect(daily.dates().some((d) => d.toISOString().startsWith('2024-11-12'))).toBe(false);
  });

  it('30-minute bins from the session open, stamped at their start', () => {
    const bins = resampleBars(bars, { calendar: 'nyse', interval: '30m' });
    expectRows(bins, ref.nyse30m);
    expect(bins.meta.frequency).toBe('intraday');
    expect(bins.meta.stepMs).toBe(30 * MIN);
  });
});

describe('resampleBars rules', () => {
  const t0 = Date.UTC(2024, 0, 2, 14, 30); // 09:30 New York
  const make = (minutes: number[], close: number[]) =>
    Series.create({ timestamps: minutes.map((m) => t0 + m * MIN), columns: { close } });

  it('bars stamped at their end: the bar ending at the open is outside, the one ending at the close inside', () => {
    const s = make([0, 5, 390, 395], [1, 2, 3, 4]);
    const start = resampleBars(s, { calendar: 'nyse' });
    expect(Array.from(start.column('bars'))).toEqual([2]);
    const end = resampleBars(s, { calendar: 'nyse', stamp: 'end' });
    expect(Array.from(end.column('bars'))).toEqual([2]);
    expect(Array.from(end.column('close'))).toEqual([3]);
    expect(end.meta.aggregation!.barsOutside).toBe(2);
  });

  it('intraday bins stamped at their end close at the session close', () => {
    const s = make([5, 10, 385, 390], [1, 2, 3, 4]);
    const bins = resampleBars(s, { calendar: 'nyse', stamp: 'end', interval: '1h' });
    expect(bins.dates().map((d) => d.toISOString())).toEqual(['2024-01-02T15:30:00.000Z', '2024-01-02T21:00:00.000Z']);
  });

  it('minBars drops partial days and counts them; a bars column is summed', () => {
    const s = Series.create({
      timestamps: [0, 1, 2, 24 * 60].map((m) => Date.UTC(2024, 0, 2) + m * MIN),
      columns: { close: [1, 2, 3, 4], bars: [2, 2, 2, 1] },
    });
    const daily = resampleBars(s, { minBars: 2 });
    expect(Array.from(daily.column('bars'))).toEqual([6]);
    expect(daily.meta.aggregation!.partialDropped).toBe(1);
  });

  it('does not mutate its input', () => {
    const s = make([0, 5, 10], [1, 2, 3]);
    const before = s.column('close');
    resampleBars(s, { calendar: 'nyse', interval: '15m' });
    expect(s.column('close')).toEqual(before);
  });

  it('refuses what it cannot do, saying why', () => {
    const daily = Series.create({
      timestamps: [0, 1, 2].map((d) => Date.UTC(2024, 0, 2 + d)),
      columns: { close: [1, 2, 3] },
    });
    expect(() => resampleBars(daily)).toThrow(/expected intraday bars: received daily data/);
    const s = make([0, 15, 30], [1, 2, 3]);
    expect(() => resampleBars(s, { interval: '5m' })).toThrow(
      /expected bins coarser than the bars: the bars are 15 minutes apart, the bins 5 minutes/,
    );
    expect(() => resampleBars(s, { interval: '1wk' })).toThrow(ValidationError);
    expect(() => resampleBars(s, { session: 'exchange' })).toThrow(/session 'exchange' needs a calendar/);
    expect(() => resampleBars(s, { calendar: 'nyse', cutoff: '17:00' })).toThrow(
      /cutoff and timezone shape fixed 24-hour days/,
    );
    expect(() => resampleBars(s, { timezone: 'Mars/Olympus' })).toThrow(/unknown time zone "Mars\/Olympus"/);
    const { sessions: _, ...noHours } = NYSE_CALENDAR_SPEC;
    expect(() => resampleBars(s, { calendar: ExchangeCalendar.create({ ...noHours, name: 'No hours' }) })).toThrow(
      DataError,
    );
    expect(() => resampleBars(s, { calendar: ExchangeCalendar.create({ ...noHours, name: 'No hours' }) })).toThrow(
      /gives no trading hours/,
    );
    expect(() => resampleBars(make([-60, -30], [1, 2]), { calendar: 'nyse' })).toThrow(
      /no bars left to resample: 2 read, 2 outside the sessions/,
    );
  });
});
