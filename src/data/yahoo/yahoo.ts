/** Yahoo Finance ingestion in Node.js: yahoo-finance2's `chart()` with retries, timeouts, typed errors and an on-disk cache. */
import { parseOptions } from '../../validate.js';
import { cacheKey, readChartCache, writeChartCache } from './yahoo-cache.js';
import {
  chartFromResult,
  describeFailure,
  INTRADAY,
  requestRange,
  resilientFetch,
  toSeries,
  YahooOptionsSchema,
  type CachedChart,
  type ChartResult,
  type ParsedYahooOptions,
  type YahooOptions,
} from './yahoo-chart.js';
import { MarketDataError } from '../../errors.js';
import type { Series } from '../series.js';

export { YahooOptionsSchema, type YahooOptions } from './yahoo-chart.js';

const silentLogger = { info() {}, warn() {}, error() {}, debug() {}, dir() {} };

async function download(symbol: string, opts: ParsedYahooOptions, from: Date, to: Date): Promise<CachedChart> {
  // Loaded on first use, so importing stockcast does not load the Yahoo client.
  const [{ default: YahooFinance }, { ExtendedCookieJar }] = await Promise.all([
    import('yahoo-finance2'),
    import('yahoo-finance2/lib/cookieJar'),
  ]);
  const client = new YahooFinance({
    fetch: resilientFetch(opts, symbol),
    cookieJar: new ExtendedCookieJar(),
    versionCheck: false,
    logger: silentLogger,
    validation: { logErrors: false, logOptionsErrors: false },
  });
  let result: Awaited<ReturnType<typeof client.chart>>;
  try {
    result = await client.chart(symbol, {
      period1: from,
      period2: to,
      interval: opts.interval,
      return: 'object',
      events: 'div|split',
    });
  } catch (e) {
    throw describeFailure(symbol, e);
  }
  return chartFromResult(result as unknown as ChartResult, symbol, opts.interval);
}

/**
 * Downloads price history from Yahoo Finance with yahoo-finance2's `chart()`, through an optional on-disk cache.
 * The only network access stockcast makes, and only when called.
 *
 * @param symbol - a Yahoo ticker such as `AAPL`, `^GSPC` or `036570.KS`
 * @param options - see {@link YahooOptionsSchema}
 * @returns a Series with open, high, low, close, adjClose and volume; dividends and splits in `meta.events`
 * @throws {@link MarketDataError} with the symbol and HTTP status for unknown or delisted symbols, HTTP errors
 *   after the retries, timeouts, HTML or otherwise malformed responses
 * @throws {@link ValidationError} for invalid options
 * @example
 * ```ts
 * import { fetchYahoo } from 'stockcast';
 * const aapl = await fetchYahoo('AAPL', { from: '2020-01-01', interval: '1d', cacheDir: '.stockcast-cache' });
 * console.log(aapl.length, aapl.meta.events);
 * ```
 */
export async function fetchYahoo(symbol: string, options: YahooOptions = {}): Promise<Series> {
  if (typeof symbol !== 'string' || symbol.trim() === '')
    throw new MarketDataError(String(symbol), 'expected a non-empty ticker symbol');
  const opts = parseOptions(YahooOptionsSchema, options, 'Yahoo options');
  const { from, to } = requestRange(symbol, opts);
  const key = cacheKey(symbol, opts.interval, from, to, !(INTRADAY as readonly string[]).includes(opts.interval));
  if (opts.cacheDir) {
    const cached = await readChartCache(opts.cacheDir, key, symbol);
    if (cached) return toSeries(cached, opts, 'hit');
  }
  const chart = await download(symbol, opts, from, to);
  if (opts.cacheDir) await writeChartCache(opts.cacheDir, key, chart);
  return toSeries(chart, opts, opts.cacheDir ? 'miss' : 'off');
}
