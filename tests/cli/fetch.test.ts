import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fetchYahoo, parseCsv, readCsv } from '../../src/index.js';
import { cli } from '../helpers/cli.js';
import { chartBody, startYahooReplay } from '../helpers/yahoo-server.js';

const dir = mkdtempSync(join(tmpdir(), 'stockcast-fetch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('stockcast fetch', () => {
  it('writes CSV from the cache without touching the network', async () => {
    const sp = (await readCsv('fixtures/sp500-2000.csv')).slice(0, 15);
    const rows = sp.toRows().map((r) => ({
      t: (r.date as Date).getTime() / 1000 + 52200,
      open: r.open as number,
      high: r.high as number,
      low: r.low as number,
      close: r.close as number,
      adjclose: r.adjclose as number,
      volume: r.volume as number,
    }));
    const server = await startYahooReplay([{ status: 200, body: chartBody('^GSPC', rows) }]);
    const cacheDir = join(dir, 'cache');
    const viaApi = await fetchYahoo('^GSPC', { from: '2000-01-01', to: '2000-02-01', cacheDir, fetch: server.fetch });
    await server.close();
    const out = join(dir, 'gspc.csv');
    // The CLI has no loopback fetch: a cache miss would need the network, so success proves the cache served it.
    const r = cli(
      'fetch',
      '^GSPC',
      '--from',
      '2000-01-01',
      '--to',
      '2000-02-01',
      '--cache-dir',
      cacheDir,
      '--out',
      out,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\^GSPC: 15 rows 2000-01-03 \.\. 2000-01-\d\d -> /);
    const back = parseCsv(readFileSync(out, 'utf8'));
    expect(back.toRows()).toEqual(viaApi.toRows());
    // --adjusted (the default) and --no-adjusted reach the data and are recorded in forecast's JSON.
    const forecast = (...flags: string[]) =>
      cli(
        'forecast',
        '--symbol',
        '^GSPC',
        '--from',
        '2000-01-01',
        '--to',
        '2000-02-01',
        '--cache-dir',
        cacheDir,
        '--lookback',
        '3',
        '--epochs',
        '1',
        '--units',
        '2',
        '--validation',
        '0',
        '--json',
        ...flags,
      );
    const adjusted = forecast();
    expect(adjusted.code, adjusted.stderr).toBe(0);
    expect(JSON.parse(adjusted.stdout).data.adjusted).toBe(true);
    const raw = forecast('--no-adjusted');
    expect(raw.code, raw.stderr).toBe(0);
    expect(JSON.parse(raw.stdout).data.adjusted).toBe(false);
  });

  it('rejects a bad interval with exit 2', () => {
    const r = cli('fetch', 'AAPL', '--interval', '2d');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--interval/);
  });
});
