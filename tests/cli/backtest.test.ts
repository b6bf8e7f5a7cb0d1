import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'stockcast-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const base = ['backtest', '--csv', 'fixtures/sp500-2000.csv', '--target', 'close'];

describe('stockcast backtest', () => {
  it('--json: models keyed by spec, with points and the six metrics', () => {
    const r = cli(
      ...base,
      '--models',
      'naive,drift,seasonal:5,ma:20',
      '--horizon',
      '5',
      '--step',
      '5',
      '--test-size',
      '250',
      '--json',
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc.models).sort()).toEqual(['drift', 'ma:20', 'naive', 'seasonal:5']);
    for (const [name, m] of Object.entries(doc.models) as Array<
      [string, { points: unknown[]; metrics: Record<string, number | null> }]
    >) {
      expect(m.points).toHaveLength(250);
      for (const k of ['mae', 'rmse', 'mape', 'smape', 'mase']) expect(Number.isFinite(m.metrics[k]), k).toBe(true);
      // Naive never moves, so its direction accuracy is undefined: null in JSON, never 0.
      if (name === 'naive') expect(m.metrics.directionalAccuracy).toBeNull();
      else expect(Number.isFinite(m.metrics.directionalAccuracy), name).toBe(true);
    }
    expect(doc.models.naive.points[0]).toMatchObject({
      step: 0,
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('an LSTM next to baselines, sliding window, refit every N on two workers, with a report and a chart', () => {
    const report = join(dir, 'bt.html');
    const plot = join(dir, 'bt.svg');
    const r = cli(
      ...base,
      '--models',
      'naive,lstm',
      '--test-size',
      '20',
      '--window',
      'sliding',
      '--train-length',
      '300',
      '--refit',
      '10',
      '--lookback',
      '10',
      '--epochs',
      '2',
      '--units',
      '8',
      '--seed',
      '1',
      '--concurrency',
      '2',
      '--strategy',
      'long-flat',
      '--report',
      report,
      '--plot',
      plot,
    );
    expect(r.code).toBe(0);
    // The LSTM's row has finite numbers (a model that produced NaN would print NaN here).
    const row = r.stdout.split('\n').find((l) => /^\d+\s+lstm\s/.test(l))!;
    const cells = row.trim().split(/\s+/).slice(2);
    // Seven metrics; direction (the sixth) is n/a when the model never moves from the last value (it kept its
    // untrained start).
    cells.slice(0, 7).forEach((v, i) => expect(Number.isFinite(Number(v)) || (i === 5 && v === 'n/a'), v).toBe(true));
    // Then the Diebold-Mariano statistic and p-value against naive (n/a when the losses never differ: no test), and
    // the verdict: beats or loses to only below p 0.05.
    const [statistic, p] = cells.slice(7, 9);
    expect(Number.isFinite(Number(p)) || p === 'n/a', p).toBe(true);
    const significant = Number(p) < 0.05;
    expect(cells.slice(9).join(' ')).toBe(significant ? (Number(statistic) < 0 ? 'beats' : 'loses to') : 'ties');
    expect(r.stdout).toMatch(/lstm (beats|loses to|ties) the naive forecast/);
    expect(r.stdout).toMatch(/strategy simulation \(long-flat, 5 bps/);
    expect(readFileSync(plot, 'utf8')).toMatch(/^<svg/);
    const html = readFileSync(report, 'utf8');
    expect(html).toMatch(/<svg/);
    expect(html).toMatch(/Theil/);
    expect(html).toMatch(/lstm (beats|loses to|ties) the naive forecast/);
    // Naive never moves: its direction accuracy shows as n/a in the table and the report, never 0%.
    const naive = r.stdout.split('\n').find((l) => /^\d+\s+naive\s/.test(l))!;
    expect(naive.trim().split(/\s+/)[7]).toBe('n/a');
    expect(html).toMatch(/<td>naive<\/td>(<td class="num">[^<]*<\/td>){5}<td class="num">n\/a<\/td>/);
    expect(html).not.toMatch(/<script/);
  });

  it('says when the test span holds interpolated rows (interpolation reads later values)', () => {
    const lines = readFileSync('fixtures/sp500-2000.csv', 'utf8').trimEnd().split('\n');
    // Blank one close in the last 20 rows.
    const k = lines.length - 5;
    const cells = lines[k].split(',');
    const close = lines[0].split(',').indexOf('close');
    cells[close] = '';
    lines[k] = cells.join(',');
    const file = join(dir, 'gap.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const report = join(dir, 'gap.html');
    const interpolated = cli(
      'backtest',
      '--csv',
      file,
      '--models',
      'naive',
      '--test-size',
      '20',
      '--missing',
      'interpolate',
      '--json',
      '--report',
      report,
    );
    expect(interpolated.code).toBe(0);
    // The report says it too, where a reader of the numbers looks.
    expect(readFileSync(report, 'utf8')).toMatch(/1 rows of the test span were interpolated from later values/);
    expect(interpolated.stderr).toMatch(/^warning: 1 rows of the test span were interpolated from later values/);
    expect(JSON.parse(interpolated.stdout).data.interpolatedRows).toBe(1);
    const carried = cli(
      'backtest',
      '--csv',
      file,
      '--models',
      'naive',
      '--test-size',
      '20',
      '--missing',
      'ffill',
      '--json',
    );
    expect(carried.stderr).toBe('');
    expect(JSON.parse(carried.stdout).data.interpolatedRows).toBe(0);
  });

  it('bad arguments: exit 2 and one line naming the argument', () => {
    for (const [args, pattern] of [
      [['--models', 'naive,arima'], /--models: unknown model "arima"/],
      [['--horizon', '0'], /--horizon/],
      [['--refit', 'sometimes'], /--refit/],
      [['--window', 'sliding'], /^error: --window 'sliding' needs --train-length$/m],
      [['--target', 'Close'], /--target "Close" is not a column/],
      [['--bogus'], /unknown option '--bogus'/],
      // Market-data flags next to a CSV would be ignored: refused, naming them.
      [
        ['--from', '2020-01-01', '--no-adjusted'],
        /--from, --no-adjusted: only for market data \(--symbol, --symbols\), not with --csv/,
      ],
    ] as const) {
      const r = cli(...base, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    }
  });

  it('a missing file is a runtime failure (exit 1) naming the file; --verbose adds the stack', () => {
    const r = cli('backtest', '--csv', 'fixtures/none.csv');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^DataError: fixtures\/none.csv: cannot read file/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const verbose = cli('backtest', '--csv', 'fixtures/none.csv', '--verbose');
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });
});

describe('CSV options on the command line', () => {
  it('a Yahoo download with null rows: a clear error, then --missing drop works', () => {
    const args = [
      'backtest',
      '--csv',
      'fixtures/csv/yahoo-download-nulls.csv',
      '--target',
      'Adj Close',
      '--models',
      'naive,drift',
      '--test-size',
      '3',
    ];
    const failed = cli(...args);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /yahoo-download-nulls.csv:4:2 column "Open": missing value "null" where a number was expected \(hint: .*CLI: --missing drop\)/,
    );
    const r = cli(...args, '--missing', 'drop', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.models.naive.points.map((p: { actual: number }) => p.actual)).toEqual([126.74, 126.56, 128.61]);
    expect(doc.data.rows).toBe(7);
  });

  it('--date-format reads what detection cannot', () => {
    const r = cli(
      'backtest',
      '--csv',
      'fixtures/ncsoft-weekly.csv',
      '--target',
      'stock_price',
      '--date-format',
      'yyyy.M.d',
      '--models',
      'naive',
      '--test-size',
      '2',
      '--json',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).models.naive.points[1].timestamp).toBe('2021-08-22T00:00:00.000Z');
    expect(cli('backtest', '--csv', 'fixtures/ncsoft-weekly.csv', '--missing', 'zero').code).toBe(2);
  });
});
