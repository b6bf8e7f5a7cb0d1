import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fetchYahoo, MarketDataError, readCsv, type Series } from '../../../src/index.js';
import { cacheKey, readChartCache } from '../../../src/data/yahoo/yahoo-cache.js';
import {
  chartBody,
  notFoundBody,
  startYahooReplay,
  type ChartRow,
  type Reply,
  type YahooReplay,
} from '../../helpers/yahoo-server.js';

// Real S&P 500 rows from the fixture, replayed in Yahoo's shape (stamped at the 9:30 New York open).
let rows: ChartRow[] = [];
let sp: Series;
beforeAll(async () => {
  sp = (await readCsv('fixtures/sp500-2000.csv')).slice(0, 10);
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
const dirs: string[] = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function run(replies: Reply[], options: Parameters<typeof fetchYahoo>[1] = {}, symbol = '^GSPC') {
  server = await startYahooReplay(replies);
  return fetchYahoo(symbol, { from: '2000-01-01', to: '2000-01-20', retryDelayMs: 5, fetch: server.fetch, ...options });
}
const ok = (): Reply => ({
  status: 200,
  body: chartBody('^GSPC', rows, {
    splits: { 947169000: { date: 947169000, numerator: 2, denominator: 1, splitRatio: '2:1' } },
  }),
});
const fail = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(MarketDataError);
  return e as MarketDataError;
};

describe('fetchYahoo against a loopback Yahoo replay', () => {
  it('makes one chart request and returns adjusted OHLCV with events', async () => {
    const s = await run([ok()]);
    expect(server!.requests).toHaveLength(1);
    // Node 24's URL parser percent-encodes ^ in paths (%5E), Node 20's does not: Yahoo reads both alike.
    expect(decodeURIComponent(server!.requests[0])).toMatch(
      /^\/v8\/finance\/chart\/\^GSPC\?.*interval=1d.*period1=946684800&period2=948326400/,
    );
    expect(s.columns).toEqual(['open', 'high', 'low', 'close', 'adjClose', 'volume']);
    expect(s.dates().map((d) => d.toISOString().slice(0, 10))).toEqual(
      sp.dates().map((d) => d.toISOString().slice(0, 10)),
    );
    // adjusted: prices scaled by adjclose/close (0.5 here); adjClose and volume kept.
    expect(s.column('close')[0]).toBeCloseTo(sp.column('close')[0] * 0.5, 9);
    expect(s.column('open')[3]).toBeCloseTo(sp.column('open')[3] * 0.5, 9);
    expect(Array.from(s.column('volume'))).toEqual(Array.from(sp.column('volume')));
    expect(s.meta.symbol).toBe('^GSPC');
    expect(s.meta.adjusted).toBe(true);
    expect(s.meta.events).toEqual([{ timestamp: Date.UTC(2000, 0, 6), kind: 'split', value: 2, ratio: '2:1' }]);
    await server!.close();
    const raw = await run([ok()], { adjusted: false });
    expect(raw.meta.adjusted).toBe(false);
    expect(raw.column('close')[0]).toBe(sp.column('close')[0]);
  });

  it('adjusted: false keeps raw prices', async () => {
    const s = await run([ok()], { adjusted: false });
    expect(Array.from(s.column('close'))).toEqual(Array.from(sp.column('close')));
  });

  it("drops Yahoo's empty bars (no trades) and reports them; partly-null rows follow the missing policy", async () => {
    const withEmpty = rows.map((r, i) =>
      i === 4 ? { ...r, open: null, high: null, low: null, close: null, adjclose: null, volume: null } : r,
    );
    const dropped = await run([{ status: 200, body: chartBody('^GSPC', withEmpty) }]);
    expect(dropped.length).toBe(9);
    expect(dropped.meta.ingest).toMatchObject({ emptyRows: 1, droppedRows: 0 });
    await server!.close();
    const partial = rows.map((r, i) => (i === 4 ? { ...r, open: null } : r));
    await expect(run([{ status: 200, body: chartBody('^GSPC', partial) }])).rejects.toThrow(
      /missing value in column "open" on 2000-01-07/,
    );
    await server!.close();
    const filled = await run([{ status: 200, body: chartBody('^GSPC', partial) }], { missing: 'ffill' });
    expect(filled.length).toBe(10);
    expect(filled.column('open')[4]).toBe(filled.column('open')[3]);
    await server!.close();
    const kept = await run([{ status: 200, body: chartBody('^GSPC', partial) }], { missing: 'drop' });
    expect(kept.meta.ingest).toMatchObject({ emptyRows: 0, droppedRows: 1 });
  });

  it('404 "No data found" is a MarketDataError with symbol and status', async () => {
    const e = await fail(run([{ status: 404, body: notFoundBody() }], {}, 'DELISTED'));
    expect(e.symbol).toBe('DELISTED');
    expect(e.status).toBe(404);
    expect(e.message).toMatch(/^DELISTED: no data: No data found, symbol may be delisted/);
    expect(server!.requests).toHaveLength(1);
  });

  it('retries 429 and then succeeds', async () => {
    const s = await run([{ status: 429, body: 'Too Many Requests' }, ok()]);
    expect(s.length).toBe(10);
    expect(server!.requests).toHaveLength(2);
  });

  it('gives up on 500 after the retries, with the status', async () => {
    const e = await fail(run([{ status: 500, body: 'Internal Server Error' }], { retries: 2 }));
    expect(e.status).toBe(500);
    expect(e.message).toMatch(/HTTP 500 from Yahoo Finance after 3 attempts/);
    expect(server!.requests).toHaveLength(3);
  });

  it('rejects an HTML body', async () => {
    const e = await fail(
      run([{ status: 200, body: '<!DOCTYPE html><html><body>consent</body></html>', contentType: 'text/html' }]),
    );
    expect(e.message).toMatch(/expected a JSON chart, received an HTML page/);
  });

  it('times out slow answers and retries a bounded number of times', async () => {
    const e = await fail(
      run([{ status: 200, body: chartBody('^GSPC', rows), delayMs: 2000 }], { timeoutMs: 100, retries: 1 }),
    );
    expect(e.message).toMatch(/no response within 100 ms \(2 attempts\)/);
    expect(server!.requests).toHaveLength(2);
  });

  it('rejects a response that does not match the chart schema', async () => {
    const e = await fail(
      run([{ status: 200, body: JSON.stringify({ chart: { result: [{ meta: { symbol: 3 } }], error: null } }) }]),
    );
    expect(e.message).toMatch(/^\^GSPC: /);
  });

  it('keeps yahoo-finance2 notices away from users', async () => {
    const spies = (['log', 'warn', 'error', 'info'] as const).map((m) => vi.spyOn(console, m));
    await run([ok()]);
    await server!.close();
    await fail(run([{ status: 404, body: 'not json' }]));
    for (const spy of spies) {
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    }
  });
});

describe('fetchYahoo cache', () => {
  const cacheDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'stockcast-cache-'));
    dirs.push(d);
    return d;
  };

  it('a cache hit sends no second request', async () => {
    const dir = cacheDir();
    const first = await run([ok()], { cacheDir: dir });
    const again = await fetchYahoo('^GSPC', {
      from: '2000-01-01',
      to: '2000-01-20',
      cacheDir: dir,
      fetch: server!.fetch,
    });
    expect(server!.requests).toHaveLength(1);
    expect(again.toRows()).toEqual(first.toRows());
    expect(again.meta.source).toBe('yahoo (cache)');
    expect(readdirSync(dir)).toEqual([cacheKey('^GSPC', '1d', new Date('2000-01-01'), new Date('2000-01-20'), true)]);
    expect(readdirSync(dir)[0]).toMatch(/^\^GSPC-[0-9a-f]{16}_1d_2000-01-01_2000-01-20\.json$/);
  });

  it('a corrupt cache file is refetched and rewritten, never a crash', async () => {
    const dir = cacheDir();
    await run([ok()], { cacheDir: dir });
    const file = join(dir, readdirSync(dir)[0]);
    for (const junk of ['{"version":1,"symbol":', '{"version":1}', '']) {
      writeFileSync(file, junk);
      const s = await fetchYahoo('^GSPC', {
        from: '2000-01-01',
        to: '2000-01-20',
        cacheDir: dir,
        fetch: server!.fetch,
      });
      expect(s.length).toBe(10);
      expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(1);
    }
    expect(server!.requests).toHaveLength(4);
  });

  it('sanitizes symbols so cache files cannot escape the folder', async () => {
    const dir = cacheDir();
    await run([ok()], { cacheDir: dir }, '../../etc/passwd');
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).not.toMatch(/\//);
    expect(files[0].startsWith('_')).toBe(true);
  });
});

describe('cache file names', () => {
  const day = (s: string) => new Date(s);
  const key = (symbol: string) => cacheKey(symbol, '1d', day('2000-01-01'), day('2000-01-20'), true);

  it('are injective: symbols that sanitize, truncate or fold case alike get different files', () => {
    const long = 'X'.repeat(150);
    const symbols = [
      'A:B',
      'A/B',
      'A_B',
      'a_b',
      'a:b',
      'AAPL',
      'aapl',
      'Aapl',
      `${long}1`,
      `${long}2`,
      '',
      '.',
      '..',
      '^GSPC',
      '_GSPC',
    ];
    const keys = symbols.map(key);
    // Distinct as written, and distinct once case is folded (macOS and Windows file systems ignore case).
    expect(new Set(keys).size).toBe(symbols.length);
    expect(new Set(keys.map((k) => k.toLowerCase())).size).toBe(symbols.length);
    for (const k of keys) {
      expect(k).not.toMatch(/[/\\:]/);
      expect(k.length).toBeLessThan(120);
    }
    // The readable part stays: a user can still see which file is which.
    expect(key('BRK.B')).toMatch(/^BRK\.B-/);
  });

  it('A:B, A/B and A_B fetched into one cache folder are three downloads and three files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockcast-cache-'));
    dirs.push(dir);
    server = await startYahooReplay([ok(), ok(), ok()]);
    for (const symbol of ['A:B', 'A/B', 'A_B']) {
      const s = await fetchYahoo(symbol, { from: '2000-01-01', to: '2000-01-20', cacheDir: dir, fetch: server.fetch });
      expect(s.meta.source).toBe('yahoo');
    }
    expect(server.requests).toHaveLength(3);
    expect(readdirSync(dir)).toHaveLength(3);
    // Each symbol then hits its own file.
    const again = await fetchYahoo('A/B', { from: '2000-01-01', to: '2000-01-20', cacheDir: dir, fetch: server.fetch });
    expect(again.meta.source).toBe('yahoo (cache)');
    expect(server.requests).toHaveLength(3);
  });

  it('a file written for another symbol is a miss, never served (a digest collision cannot return wrong prices)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockcast-cache-'));
    dirs.push(dir);
    await run([ok()], { cacheDir: dir }, 'AAA');
    const [file] = readdirSync(dir);
    expect(await readChartCache(dir, file, 'AAA')).toBeDefined();
    expect(await readChartCache(dir, file, 'BBB')).toBeUndefined();
  });
});

describe('fetchYahoo arguments', () => {
  it('rejects bad options before any request', async () => {
    await expect(fetchYahoo('AAPL', { interval: '2d' as never })).rejects.toThrow(/invalid Yahoo options: interval/);
    await expect(fetchYahoo('', {})).rejects.toThrow(MarketDataError);
    await expect(fetchYahoo('AAPL', { from: '2021-01-02', to: '2021-01-01' })).rejects.toThrow(/must be before/);
  });
});
