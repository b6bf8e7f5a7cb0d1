import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fetchYahooPanel, MarketDataError, readCsv, ValidationError } from '../../../src/index.js';
import {
  chartBody,
  notFoundBody,
  startYahooRoutes,
  type ChartRow,
  type YahooRoutes,
} from '../../helpers/yahoo-server.js';
import { cacheKey } from '../../../src/data/yahoo/yahoo-cache.js';

// Real S&P 500 rows from the fixture, replayed in Yahoo's shape; each symbol gets a different slice (ragged).
let rows: ChartRow[] = [];
beforeAll(async () => {
  const sp = (await readCsv('fixtures/sp500-2000.csv')).slice(0, 30);
  rows = sp.toRows().map((r) => ({
    t: (r.date as Date).getTime() / 1000 + 14.5 * 3600,
    open: r.open as number,
    high: r.high as number,
    low: r.low as number,
    close: r.close as number,
    adjclose: r.adjclose as number,
    volume: r.volume as number,
  }));
});
const dir = mkdtempSync(join(tmpdir(), 'stockcast-panel-yahoo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let server: YahooRoutes | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const SLICES: Record<string, [number, number]> = {
  AAA: [0, 30],
  BBB: [5, 30],
  CCC: [0, 20],
  DDD: [10, 25],
  EEE: [3, 30],
  FFF: [0, 30],
};
const base = { from: '2000-01-01', to: '2000-03-01', retries: 0, retryDelayMs: 1 } as const;

describe('fetchYahooPanel against a loopback Yahoo server', () => {
  it('fetches every symbol, at most `concurrency` at once, in the requested order', async () => {
    server = await startYahooRoutes((symbol) => ({
      status: 200,
      body: chartBody(symbol, rows.slice(...SLICES[symbol])),
      delayMs: 40,
    }));
    const symbols = ['FFF', 'AAA', 'BBB', 'CCC', 'DDD', 'EEE'];
    const { panel, failures } = await fetchYahooPanel(symbols, { ...base, concurrency: 2, fetch: server.fetch });
    expect(failures).toEqual([]);
    expect(panel.symbols).toEqual(symbols);
    expect(server.requests).toHaveLength(6);
    expect(server.maxInFlight()).toBe(2);
    expect(panel.get('DDD').length).toBe(15);
    expect(panel.get('BBB').firstTimestamp).toBe(Date.UTC(2000, 0, 10));
    expect(panel.columns).toEqual(['open', 'high', 'low', 'close', 'adjClose', 'volume']);
    expect(panel.meta.source).toBe('yahoo');
  });

  it('one failure per symbol, the others kept; through the cache on the second call', async () => {
    const cacheDir = join(dir, 'cache');
    server = await startYahooRoutes((symbol) =>
      symbol === 'BAD'
        ? { status: 404, body: notFoundBody() }
        : symbol === 'DOWN'
          ? { status: 503, body: 'down' }
          : { status: 200, body: chartBody(symbol, rows.slice(...SLICES[symbol])) },
    );
    const { panel, failures } = await fetchYahooPanel(['AAA', 'BAD', 'CCC', 'DOWN'], {
      ...base,
      cacheDir,
      fetch: server.fetch,
    });
    expect(panel.symbols).toEqual(['AAA', 'CCC']);
    expect(failures.map((f) => f.symbol)).toEqual(['BAD', 'DOWN']);
    for (const f of failures) expect(f.error).toBeInstanceOf(MarketDataError);
    expect((failures[0].error as MarketDataError).status).toBe(404);
    expect(failures[1].error.message).toMatch(/^DOWN: HTTP 503 from Yahoo Finance after 1 attempts/);
    expect(readdirSync(cacheDir).sort()).toEqual(
      ['AAA', 'CCC'].map((s) => cacheKey(s, '1d', new Date('2000-01-01'), new Date('2000-03-01'), true)).sort(),
    );
    await server.close();
    // The server is gone: the second call can only be served by the cache.
    server = await startYahooRoutes(() => ({ status: 500, body: 'should not be asked' }));
    const again = await fetchYahooPanel(['CCC', 'AAA'], { ...base, cacheDir, fetch: server.fetch });
    expect(server.requests).toEqual([]);
    expect(again.panel.get('AAA').toRows()).toEqual(panel.get('AAA').toRows());
    expect(again.panel.get('AAA').meta.source).toBe('yahoo (cache)');
  });

  it('throws when every symbol fails, listing each', async () => {
    server = await startYahooRoutes(() => ({ status: 404, body: notFoundBody() }));
    const e = await fetchYahooPanel(['X1', 'X2'], { ...base, fetch: server.fetch }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(MarketDataError);
    expect((e as Error).message).toMatch(/^X1,X2: every symbol failed: X1: no data: .*; X2: no data: /);
    expect((e as Error).cause).toBeInstanceOf(AggregateError);
  });

  it('an abort stops the whole call', async () => {
    const controller = new AbortController();
    // Abort once the first request is at the server (not after a fixed delay: a loaded machine may be slower).
    server = await startYahooRoutes((symbol) => {
      setTimeout(() => controller.abort(), 20);
      return { status: 200, body: chartBody(symbol, rows), delayMs: 2000 };
    });
    const started = Date.now();
    const e = await fetchYahooPanel(['AAA', 'BBB', 'CCC'], {
      ...base,
      concurrency: 1,
      fetch: server.fetch,
      signal: controller.signal,
    }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(MarketDataError);
    expect((e as Error).message).toMatch(/aborted/);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    [[], /expected at least one symbol/],
    [['AAA', ''], /1: expected a non-empty ticker/],
    [['AAA', ' BBB'], /1: expected a non-empty ticker without surrounding spaces/],
    [['AAA', 'AAA'], /1: "AAA" is listed twice/],
  ])('rejects the symbol list %j', async (symbols, message) => {
    await expect(fetchYahooPanel(symbols, base)).rejects.toThrow(ValidationError);
    await expect(fetchYahooPanel(symbols, base)).rejects.toThrow(message);
  });

  it('rejects a bad concurrency', async () => {
    await expect(fetchYahooPanel(['AAA'], { ...base, concurrency: 0 })).rejects.toThrow(/concurrency/);
  });
});
