import { describe, expect, it, vi } from 'vitest';
import { fetchYahoo, MarketDataError } from '../../../src/index.js';
import { requestRange, YahooOptionsSchema } from '../../../src/data/yahoo/yahoo-chart.js';
import { checkIntradayRange, YAHOO_INTRADAY_LIMITS } from '../../../src/data/yahoo/yahoo-limits.js';

const DAY = 86_400_000;
const now = Date.UTC(2025, 5, 30, 12);
const range = (fromDaysBack: number, toDaysBack = 0) => ({
  from: new Date(now - fromDaysBack * DAY),
  to: new Date(now - toDaysBack * DAY),
});

describe("Yahoo's intraday range limits", () => {
  it('1m: 30 days back, 7 days per request', () => {
    expect(() => checkIntradayRange('AAPL', '1m', range(29, 23), now)).not.toThrow();
    expect(() => checkIntradayRange('AAPL', '1m', range(31, 25), now)).toThrow(
      /Yahoo keeps 1m bars for the last 30 days: from 2025-05-30 12:00 UTC is 31.0 days back/,
    );
    expect(() => checkIntradayRange('AAPL', '1m', range(10, 2), now)).toThrow(
      /Yahoo serves at most 7 days of 1m bars per request: 2025-06-20 12:00 to 2025-06-28 12:00 UTC is 8.0 days/,
    );
  });

  it.each(['2m', '5m', '15m', '30m', '90m'])('%s: 60 days back', (interval) => {
    expect(() => checkIntradayRange('AAPL', interval, range(60), now)).not.toThrow();
    expect(() => checkIntradayRange('AAPL', interval, range(61), now)).toThrow(MarketDataError);
    expect(() => checkIntradayRange('AAPL', interval, range(61), now)).toThrow(
      new RegExp(
        `Yahoo keeps ${interval} bars for the last 60 days.*hint: start at most 60 days ago, ` +
          'or use a coarser interval \\(hourly bars \\(1h\\) go back 730 days',
      ),
    );
  });

  it.each(['60m', '1h'])('%s: 730 days back', (interval) => {
    expect(() => checkIntradayRange('AAPL', interval, range(729), now)).not.toThrow();
    expect(() => checkIntradayRange('AAPL', interval, range(731), now)).toThrow(/last 730 days/);
  });

  it('daily and longer bars have no limit; every intraday size has one', () => {
    for (const interval of ['1d', '5d', '1wk', '1mo', '3mo'])
      expect(() => checkIntradayRange('AAPL', interval, range(20000), now)).not.toThrow();
    const intraday = YahooOptionsSchema.shape.interval
      .unwrap()
      .options.filter((i: string) => !['1d', '5d', '1wk', '1mo', '3mo'].includes(i));
    expect(Object.keys(YAHOO_INTRADAY_LIMITS).sort()).toEqual([...intraday].sort());
  });

  it('the default ranges fit the limits', () => {
    for (const interval of Object.keys(YAHOO_INTRADAY_LIMITS)) {
      expect(() => requestRange('AAPL', YahooOptionsSchema.parse({ interval }), now)).not.toThrow();
    }
  });

  it('fetchYahoo refuses before any request is made', async () => {
    const fetch = vi.fn(async () => new Response('{}'));
    await expect(fetchYahoo('AAPL', { interval: '5m', from: '2020-01-01', fetch })).rejects.toThrow(
      /Yahoo keeps 5m bars for the last 60 days/,
    );
    await expect(fetchYahoo('AAPL', { interval: '5m', from: '2020-01-01', fetch })).rejects.toBeInstanceOf(
      MarketDataError,
    );
    expect(fetch).not.toHaveBeenCalled();
  });
});
