import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  fetchYahoo as fetchYahooNode,
  MarketDataError,
  readCsv,
  ValidationError,
  type Series,
} from '../../../src/index.js';
import { fetchYahoo } from '../../../src/data/yahoo/yahoo-browser.js';
import {
  chartBody,
  notFoundBody,
  startYahooReplay,
  type ChartRow,
  type YahooReplay,
} from '../../helpers/yahoo-server.js';

// The browser's Yahoo client (the chart endpoint through the caller's fetch) gives the Series yahoo-finance2 gives
// in Node for the same response, and says clearly what it needs.
let rows: ChartRow[] = [];
beforeAll(async () => {
  const sp: Series = (await readCsv('fixtures/sp500-2000.csv')).slice(0, 10);
  rows = sp.toRows().map((r) => ({
    t: (r.date as Date).getTime() / 1000 + 14.5 * 3600,
    open: r.open as number,
    high: r.high as number,
    low: r.low as number,
    close: r.close as number,
    adjclose: (r.adjclose as number) * 0.5,
    volume: r.volume as number,
  }));
});
let server: YahooReplay | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
const range = { from: '2000-01-01', to: '2000-01-20', retryDelayMs: 5 };

describe('fetchYahoo (browser entry)', () => {
  it('reads the chart endpoint through the given fetch into the same Series as Node, splits included', async () => {
    server = await startYahooReplay([
      {
        status: 200,
        body: chartBody('^GSPC', rows, {
          splits: { 947169000: { date: 947169000, numerator: 2, denominator: 1, splitRatio: '2:1' } },
        }),
      },
    ]);
    const browser = await fetchYahoo('^GSPC', { ...range, fetch: server.fetch });
    const node = await fetchYahooNode('^GSPC', { ...range, fetch: server.fetch });
    expect(browser.toRows()).toEqual(node.toRows());
    expect(browser.meta.events).toEqual(node.meta.events);
    expect(browser.meta.events).toEqual([expect.objectContaining({ kind: 'split', value: 2, ratio: '2:1' })]);
    const path = server.requests[0];
    expect(path).toMatch(
      /^\/v8\/finance\/chart\/%5EGSPC\?period1=946684800&period2=948326400&interval=1d&events=div%7Csplit/,
    );
  });

  it('without fetch: a ValidationError naming the option; cacheDir is refused', async () => {
    const e = await fetchYahoo('AAPL').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).issues[0].path).toBe('fetch');
    expect((e as Error).message).toMatch(
      /^invalid Yahoo options: fetch: expected a fetch function: in a browser, Yahoo Finance answers only through a fetch that passes CORS/,
    );
    await expect(fetchYahoo('AAPL', { fetch: globalThis.fetch, cacheDir: 'x' })).rejects.toThrow(
      /cacheDir: expected no cacheDir: a browser has no folders/,
    );
  });

  it('an unknown symbol, an HTML page and HTTP errors are MarketDataErrors with the symbol', async () => {
    server = await startYahooReplay([{ status: 404, body: notFoundBody() }]);
    await expect(fetchYahoo('NOPE', { ...range, fetch: server.fetch })).rejects.toThrow(
      /^NOPE: no data: Not Found: No data found/,
    );
    await server.close();
    server = await startYahooReplay([{ status: 200, body: '<!doctype html><p>consent</p>', contentType: 'text/html' }]);
    const e = await fetchYahoo('AAPL', { ...range, fetch: server.fetch }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(MarketDataError);
    expect((e as Error).message).toMatch(/expected a JSON chart, received an HTML page/);
    await server.close();
    server = await startYahooReplay([{ status: 503, body: 'busy' }]);
    await expect(fetchYahoo('AAPL', { ...range, retries: 1, fetch: server.fetch })).rejects.toThrow(
      /HTTP 503 from Yahoo Finance after 2 attempts/,
    );
  });
});
