/**
 * Yahoo Finance's range limits for intraday bars, checked before any request. Yahoo answers a request past them
 * with "1m data not available for startTime=... Only 7 days worth of 1m granularity data are allowed to be fetched
 * per request" or "... The requested range must be within the last 60 days" (730 for hourly bars); the limits
 * below are those messages' (also yfinance's checks: 1m 7 days a request and 30 days back; 2m, 5m, 15m, 30m, 90m
 * 60 days back; 60m and 1h 730 days back). yahoo-finance2's chart() documents only "~60 days for 1-minute data".
 */
import { MarketDataError } from '../../errors.js';

const DAY = 86_400_000;

/** How far back Yahoo serves each intraday bar size, and how many days one request may span (1m only). @internal */
export const YAHOO_INTRADAY_LIMITS: Readonly<Record<string, { daysBack: number; daysPerRequest?: number }>> =
  Object.freeze({
    '1m': { daysBack: 30, daysPerRequest: 7 },
    '2m': { daysBack: 60 },
    '5m': { daysBack: 60 },
    '15m': { daysBack: 60 },
    '30m': { daysBack: 60 },
    '90m': { daysBack: 60 },
    '60m': { daysBack: 730 },
    '1h': { daysBack: 730 },
  });

const iso = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');

/**
 * Refuses an intraday request Yahoo would refuse: a start further back than the bar size's limit, or (1m) a range
 * longer than one request may span. Daily and longer bars have no limit.
 *
 * @param symbol - the ticker, for the error
 * @param interval - the bar size
 * @param range - the request's `from` and `to`
 * @param now - the current time, epoch ms (Yahoo counts back from now, not from `to`)
 * @throws {@link MarketDataError} naming the limit, the range asked for and what to do instead
 * @internal
 */
export function checkIntradayRange(
  symbol: string,
  interval: string,
  range: { from: Date; to: Date },
  now: number,
): void {
  const limit = YAHOO_INTRADAY_LIMITS[interval];
  if (!limit) return;
  const from = range.from.getTime();
  const to = range.to.getTime();
  const back = (now - from) / DAY;
  const coarser = limit.daysBack < 730 ? `hourly bars (1h) go back 730 days, ` : '';
  if (back > limit.daysBack) {
    throw new MarketDataError(
      symbol,
      `Yahoo keeps ${interval} bars for the last ${limit.daysBack} days: ` +
        `from ${iso(from)} UTC is ${back.toFixed(1)} days back`,
      {
        hint:
          `start at most ${limit.daysBack} days ago, ` +
          `or use a coarser interval (${coarser}daily bars go back decades)`,
      },
    );
  }
  if (limit.daysPerRequest !== undefined && (to - from) / DAY > limit.daysPerRequest) {
    throw new MarketDataError(
      symbol,
      `Yahoo serves at most ${limit.daysPerRequest} days of ${interval} bars per request: ` +
        `${iso(from)} to ${iso(to)} UTC is ${((to - from) / DAY).toFixed(1)} days`,
      {
        hint: `split the range into requests of ${limit.daysPerRequest} days, or use 2m bars (60 days back)`,
      },
    );
  }
}
