import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyTargetTransform, DataError, parseCsv, walkForward } from '../../src/index.js';
import { cli } from '../helpers/cli.js';

// The S&P file in Yahoo's own export spelling, with an adjusted close that differs from the close by a factor
// that changes over time (dividends), so the basis of open/high/low matters for the overnight returns.
const lines = readFileSync('fixtures/sp500-2000.csv', 'utf8').trim().split('\n').slice(1, 701);
const rows = lines.map((l, i) => {
  const [date, open, high, low, close, , volume] = l.split(',');
  return { date, open: +open, high: +high, low: +low, close: +close, factor: 0.9 + (0.1 * i) / 700, volume };
});
const yahoo = [
  'Date,Open,High,Low,Close,Adj Close,Volume',
  ...rows.map((r) => `${r.date},${r.open},${r.high},${r.low},${r.close},${r.close * r.factor},${r.volume}`),
].join('\n');
const lower = [
  'date,open,high,low,close',
  ...rows.map((r) => `${r.date},${r.open},${r.high},${r.low},${r.close}`),
].join('\n');
const adjusted = [
  'date,open,high,low,close',
  ...rows.map((r) => `${r.date},${r.open * r.factor},${r.high * r.factor},${r.low * r.factor},${r.close * r.factor}`),
].join('\n');
const dir = mkdtempSync(join(tmpdir(), 'stockcast-prices-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('OHLC columns of range-based targets', () => {
  it("are found in Yahoo's spelling (Open, High, Low) as the target Close is", async () => {
    for (const spec of ['parkinson:5', 'gk:5', 'yz:5']) {
      const got = applyTargetTransform(parseCsv(yahoo), spec, { close: 'Close' });
      const want = applyTargetTransform(parseCsv(lower), spec);
      expect(Array.from(got.series.column(got.target)), spec).toEqual(Array.from(want.series.column(want.target)));
    }
    const r = await walkForward(parseCsv(yahoo), 'ewma', {
      target: 'Close',
      targetTransform: 'parkinson:5',
      horizon: 5,
      testSize: 100,
    });
    const ref = await walkForward(parseCsv(lower), 'ewma', {
      targetTransform: 'parkinson:5',
      horizon: 5,
      testSize: 100,
    });
    expect(r.folds.map((f) => f.predicted)).toEqual(ref.folds.map((f) => f.predicted));
  });

  it('on an adjusted close, open/high/low are put on the same basis (times adjclose / close per row)', () => {
    const got = applyTargetTransform(parseCsv(yahoo), 'yz:5', { close: 'Adj Close' });
    const want = applyTargetTransform(parseCsv(adjusted), 'yz:5');
    got.series.column(got.target).forEach((v, i) => expect(v).toBeCloseTo(want.series.column(want.target)[i], 9));
    // Without the scaling the overnight returns would jump where the factor changes: the raw-basis target differs.
    const raw = applyTargetTransform(parseCsv(yahoo), 'yz:5', { close: 'Close' });
    expect(Array.from(raw.series.column(raw.target))).not.toEqual(Array.from(got.series.column(got.target)));
  });

  it('refuse an adjusted close without a raw one, and name the prices option for a missing column', () => {
    const noRaw = parseCsv(yahoo).select(['Open', 'High', 'Low', 'Adj Close']);
    expect(() => applyTargetTransform(noRaw, 'gk:5', { close: 'Adj Close' })).toThrow(DataError);
    expect(() => applyTargetTransform(noRaw, 'gk:5', { close: 'Adj Close' })).toThrow(
      /"Adj Close" is adjusted .* the open column "Open" is not, and there is no raw close/,
    );
    const renamed = parseCsv(lower.replace('high,low', 'H,L'));
    expect(() => applyTargetTransform(renamed, 'parkinson:5')).toThrow(
      /needs a high price column: none is called "high" in any case/,
    );
    const named = applyTargetTransform(renamed, 'parkinson:5', { prices: { high: 'H', low: 'L' } });
    expect(named.series.length).toBeGreaterThan(0);
    expect(() => applyTargetTransform(renamed, 'parkinson:5', { prices: { high: 'Hi', low: 'L' } })).toThrow(
      /"Hi" is not a column/,
    );
  });

  it('on the CLI: backtest --target Close --target-transform parkinson:5 on a Yahoo CSV, and --prices', () => {
    const file = join(dir, 'yahoo.csv');
    writeFileSync(file, yahoo);
    const r = cli(
      'backtest',
      '--csv',
      file,
      '--target',
      'Close',
      '--target-transform',
      'parkinson:5',
      '--models',
      'naive,ewma',
      '--horizon',
      '5',
      '--test-size',
      '100',
      '--json',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).models.ewma.points).toHaveLength(100);
    const renamed = join(dir, 'renamed.csv');
    writeFileSync(renamed, lower.replace('high,low', 'H,L'));
    const named = cli(
      'backtest',
      '--csv',
      renamed,
      '--target-transform',
      'parkinson:5',
      '--prices',
      'high=H,low=L',
      '--models',
      'ewma',
      '--test-size',
      '50',
      '--json',
    );
    expect(named.code).toBe(0);
    const bad = cli(
      'backtest',
      '--csv',
      renamed,
      '--target-transform',
      'parkinson:5',
      '--models',
      'ewma',
      '--test-size',
      '50',
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--prices high=/);
  });
});
