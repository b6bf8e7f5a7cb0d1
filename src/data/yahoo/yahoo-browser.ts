/**
 * Yahoo Finance in a browser: Yahoo's chart endpoint sends no CORS headers, so a page cannot call it directly; the
 * caller passes a `fetch` that can (through their own proxy, or an extension's privileged fetch). No yahoo-finance2
 * (it needs Node.js) and no disk cache: the same chart JSON becomes the same Series as in Node.js.
 */
import { MarketDataError, ValidationError } from '../../errors.js';
import { parseOptions } from '../../validate.js';
import type { Series } from '../series.js';
import {
  chartFromResult,
  describeFailure,
  requestRange,
  resilientFetch,
  toSeries,
  YahooOptionsSchema,
  type ChartResult,
  type ParsedYahooOptions,
  type YahooOptions,
} from './yahoo-chart.js';

/** The chart endpoint yahoo-finance2 calls too. */
const CHART_URL = 'https://query1.finance.yahoo.com/v8/finance/chart/';

/**
 * Downloads price history from Yahoo Finance's chart endpoint through the `fetch` you pass (browser entry).
 * Browsers block the direct request (Yahoo sends no CORS headers): give a `fetch` that goes through your own
 * proxy, for example `(url, init) => fetch('/yahoo?url=' + encodeURIComponent(String(url)), init)`.
 *
 * @param symbol - a Yahoo ticker such as `AAPL`, `^GSPC` or `036570.KS`
 * @param options - see {@link YahooOptionsSchema}; `fetch` is required, `cacheDir` is refused
 * @returns a Series with open, high, low, close, adjClose and volume; dividends and splits in `meta.events`
 * @throws {@link ValidationError} naming `fetch` when it is missing, and `cacheDir` when it is given
 * @throws {@link MarketDataError} with the symbol and HTTP status, as in Node.js
 * @example
 * ```ts
 * import { fetchYahoo } from 'stockcast';
 * const proxied: typeof fetch = (url, init) => fetch(`/yahoo?url=${encodeURIComponent(String(url))}`, init);
 * const aapl = await fetchYahoo('AAPL', { from: '2020-01-01', fetch: proxied });
 * console.log(aapl.length);
 * ```
 */
export async function fetchYahoo(symbol: string, options: YahooOptions = {}): Promise<Series> {
  if (typeof symbol !== 'string' || symbol.trim() === '')
    throw new MarketDataError(String(symbol), 'expected a non-empty ticker symbol');
  const opts = browserOptions(options);
  const { from, to } = requestRange(symbol, opts);
  const query = new URLSearchParams({
    period1: String(Math.floor(from.getTime() / 1000)),
    period2: String(Math.floor(to.getTime() / 1000)),
    interval: opts.interval,
    events: 'div|split',
    includeAdjustedClose: 'true',
  });
  const { json, status } = await fetchChart(symbol, opts, `${CHART_URL}${encodeURIComponent(symbol)}?${query}`);
  const error = json.chart?.error;
  if (error) {
    const message = `${error.code ?? 'error'}: ${error.description ?? ''}`.trim();
    if (/No data found|delisted|Not Found/i.test(message))
      throw new MarketDataError(symbol, `no data: ${message}`, {
        status: status || 404,
        hint: 'check the symbol and the date range',
      });
    throw new MarketDataError(symbol, message, { status });
  }
  const result = json.chart?.result?.[0];
  if (!result?.meta || !result.indicators)
    throw new MarketDataError(symbol, 'the response did not match the chart schema', { status });
  return toSeries(chartFromResult(result, symbol, opts.interval), opts, 'off');
}

/** The chart endpoint's answer, as JSON. */
interface ChartJson {
  chart?: { result?: ChartResult[] | null; error?: { code?: string; description?: string } | null };
}

/** The options parsed, with the `fetch` a browser needs and without the `cacheDir` it cannot have. */
function browserOptions(options: YahooOptions): ParsedYahooOptions {
  const opts = parseOptions(YahooOptionsSchema, options, 'Yahoo options');
  if (!opts.fetch) {
    throw new ValidationError(
      'Yahoo options',
      [
        {
          path: 'fetch',
          message:
            'expected a fetch function: in a browser, Yahoo Finance answers only through a fetch that passes CORS (your own proxy)',
        },
      ],
      {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the hint shows the code to write, its template included.
        hint: 'fetchYahoo(symbol, { fetch: (url, init) => fetch(`/yahoo?url=${encodeURIComponent(String(url))}`, init) })',
      },
    );
  }
  if (opts.cacheDir)
    throw new ValidationError('Yahoo options', [
      {
        path: 'cacheDir',
        message: 'expected no cacheDir: a browser has no folders (cache the Series, or the response, yourself)',
      },
    ]);
  return opts;
}

/** Requests the chart through the caller's fetch (with retries) and parses it; failures become MarketDataErrors. */
async function fetchChart(
  symbol: string,
  opts: ParsedYahooOptions,
  url: string,
): Promise<{ json: ChartJson; status: number }> {
  let status = 0;
  try {
    const response = await resilientFetch(opts, symbol)(url);
    status = response.status;
    const text = await response.text();
    try {
      return { json: JSON.parse(text) as ChartJson, status };
    } catch (e) {
      throw new MarketDataError(
        symbol,
        `expected a JSON chart, received ${/<html|<!doctype/i.test(text) ? 'an HTML page' : 'non-JSON text'}`,
        { status, cause: e },
      );
    }
  } catch (e) {
    throw describeFailure(symbol, e);
  }
}
