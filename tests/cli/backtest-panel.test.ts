import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, cliAsync } from '../helpers/cli.js';
import { startCli } from '../helpers/processes.js';
import { startRedis } from '../helpers/redis.js';
import { syntheticPanel } from '../helpers/panels.js';

const dir = mkdtempSync(join(tmpdir(), 'stockcast-cli-panel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A wide CSV (date,S000,S001,...) of a generated panel: empty cells where a symbol has no data. */
function wideFile(): string {
  const panel = syntheticPanel({ symbols: 3, days: 120, seed: 31, columns: ['close'] });
  const dates = Array.from(panel.timestamps);
  const lines = [['date', ...panel.symbols].join(',')];
  for (const t of dates)
    lines.push(
      [
        new Date(t).toISOString().slice(0, 10),
        ...panel.symbols.map((s) => {
          const x = panel.get(s);
          const i = x.indexAtOrAfter(t);
          return i < x.length && x.timestampAt(i) === t ? String(x.columnRef('close')[i]) : '';
        }),
      ].join(','),
    );
  const file = join(dir, 'wide.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('stockcast backtest over a panel', () => {
  it('--symbol-column: a long CSV, models pooled and bySymbol in --json', () => {
    const r = cli(
      'backtest',
      '--csv',
      'fixtures/stocks.csv',
      '--symbol-column',
      'symbol',
      '--target',
      'price',
      '--models',
      'naive,drift',
      '--test-size',
      '12',
      '--json',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.origins).toHaveLength(12);
    expect(Object.keys(doc.models).sort()).toEqual(['drift', 'naive']);
    const naive = doc.models.naive;
    expect(Object.keys(naive.bySymbol).sort()).toEqual(['AAPL', 'AMZN', 'GOOG', 'IBM', 'MSFT']);
    expect(naive.theilU).toBeCloseTo(1, 10);
    expect(naive.points).toHaveLength(60);
    expect(naive.bySymbol.GOOG.points).toHaveLength(12);
    for (const m of Object.values(doc.models) as Array<{ metrics: Record<string, number> }>)
      for (const k of ['mae', 'rmse', 'mase']) expect(Number.isFinite(m.metrics[k])).toBe(true);
  });

  it('--wide: one column per symbol; a global LSTM against per-symbol baselines, with a report', () => {
    const report = join(dir, 'panel.html');
    const r = cli(
      'backtest',
      '--csv',
      wideFile(),
      '--wide',
      '--missing',
      'ffill',
      '--models',
      'naive,lstm',
      '--test-size',
      '6',
      '--lookback',
      '8',
      '--epochs',
      '2',
      '--units',
      '8',
      '--calendar',
      'nyse',
      '--report',
      report,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/3 symbols .*: close, 6 date origins/);
    expect(r.stdout).toMatch(/per symbol:/);
    expect(r.stdout).toMatch(/S002 +lstm/);
    const html = readFileSync(report, 'utf8');
    expect(html).toMatch(/Per symbol/);
    expect(html).toMatch(/<svg/); // small multiples, one per symbol
    expect(html).toMatch(/Theil/);
  });

  it('--target-transform on a panel: a volatility target per symbol, econometric models per symbol', () => {
    const r = cli(
      'backtest',
      '--csv',
      'fixtures/stocks.csv',
      '--symbol-column',
      'symbol',
      '--target',
      'price',
      '--target-transform',
      'rv:3',
      '--models',
      'naive,ewma',
      '--test-size',
      '12',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      target: string;
      models: Record<string, { metrics: { count: number; rmse: number }; bySymbol: Record<string, unknown> }>;
    };
    expect(doc.target).toBe('rv3');
    // The default benchmark of a volatility target derived from prices, GARCH, joins the comparison.
    expect(Object.keys(doc.models).sort()).toEqual(['ewma', 'garch', 'naive']);
    expect(Object.keys(doc.models.ewma.bySymbol).sort()).toEqual(['AAPL', 'AMZN', 'GOOG', 'IBM', 'MSFT']);
    expect(doc.models.ewma.metrics.count).toBe(60);
    // Quantiles on returns: probabilistic metrics and VaR tests pooled and per symbol.
    const q = cli(
      'backtest',
      '--csv',
      'fixtures/stocks.csv',
      '--symbol-column',
      'symbol',
      '--target',
      'price',
      '--target-transform',
      'logret',
      '--quantiles',
      '0.05,0.5,0.95',
      '--models',
      'garch',
      '--test-size',
      '12',
      '--json',
    );
    expect(q.code, q.stderr).toBe(0);
    const garch = (
      JSON.parse(q.stdout) as {
        models: Record<
          string,
          {
            quantiles: { levels: number[]; metrics: { count: number } };
            bySymbol: Record<string, { risk: { level: number }[] }>;
          }
        >;
      }
    ).models.garch;
    expect(garch.quantiles.levels).toEqual([0.05, 0.5, 0.95]);
    expect(garch.quantiles.metrics.count).toBe(60);
    expect(garch.bySymbol.AAPL.risk.map((r) => r.level)).toEqual([0.05]);
    expect(Number.isFinite(doc.models.ewma.metrics.rmse)).toBe(true);
  });

  it('every model and training flag of a single series reaches the models of a panel', () => {
    const flags = [
      '--lookback',
      '6',
      '--epochs',
      '2',
      '--units',
      '4',
      '--layers',
      '2',
      '--dropout',
      '0.2',
      '--optimizer',
      'sgd',
      '--learning-rate',
      '0.01',
      '--batch-size',
      '8',
      '--clip-norm',
      '1',
      '--scaler',
      'standard',
      '--window-norm',
      'none',
      '--seed',
      '3',
      '--validation',
      '0.3',
      '--final-fit',
      'training',
      '--calibration',
      '0.2',
      '--engine',
      'fused',
    ];
    const r = cli(
      'backtest',
      '--csv',
      'fixtures/stocks.csv',
      '--symbol-column',
      'symbol',
      '--target',
      'price',
      '--models',
      'lstm',
      '--test-size',
      '4',
      '--refit',
      'once',
      '--window',
      'sliding',
      '--train-length',
      '80',
      '--quantiles',
      '0.1,0.5,0.9',
      ...flags,
      '--json',
      // The default benchmark, naive, gives no quantiles of prices: the model is its own benchmark.
      '--benchmark',
      'lstm',
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.options).toMatchObject({
      window: 'sliding',
      trainLength: 80,
      refit: 'once',
      quantiles: [0.1, 0.5, 0.9],
      models: ['lstm'],
    });
    expect(doc.options.forecaster).toEqual({
      lookback: 6,
      epochs: 2,
      units: 4,
      layers: 2,
      dropout: 0.2,
      optimizer: 'sgd',
      learningRate: 0.01,
      batchSize: 8,
      clipNorm: 1,
      scaler: 'standard',
      windowNorm: 'none',
      seed: 3,
      validation: 0.3,
      finalFit: 'training',
      calibration: 0.2,
      engine: 'fused',
    });
    expect(doc.models.lstm.quantiles.levels).toEqual([0.1, 0.5, 0.9]);
    for (const p of doc.models.lstm.points) expect(Number.isFinite(p.predicted)).toBe(true);
    // The options reach the global model's own checks: a window normalization it does not take is refused there.
    const zscore = cli(
      'backtest',
      '--csv',
      'fixtures/stocks.csv',
      '--symbol-column',
      'symbol',
      '--target',
      'price',
      '--models',
      'lstm',
      '--test-size',
      '4',
      '--window-norm',
      'zscore',
    );
    expect(zscore.code).toBe(2);
    expect(zscore.stderr).toMatch(/global forecasters take --window-norm 'last' or 'none'/);
  });

  it('a recurrent volatility backtest with no model option runs on a panel whose realized volatility reaches 0', () => {
    // B stands still for 12 days: its rv:5 is exactly 0 there, which windows relative to their last value cannot read.
    const lines = ['symbol,date,close'];
    const days = Array.from({ length: 160 }, (_, i) =>
      new Date(Date.UTC(2021, 0, 4) + i * 86_400_000).toISOString().slice(0, 10),
    );
    for (const [k, symbol] of ['A', 'B', 'C'].entries()) {
      let price = 50 + 20 * k;
      days.forEach((d, i) => {
        if (!(symbol === 'B' && i >= 60 && i < 72))
          price *= Math.exp(0.01 * Math.sin(i * (1.7 + k)) + 0.004 * Math.cos(i * 0.3));
        lines.push(`${symbol},${d},${price.toFixed(4)}`);
      });
    }
    const file = join(dir, 'flat.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = cli(
      'backtest',
      '--csv',
      file,
      '--symbol-column',
      'symbol',
      '--target-transform',
      'rv:5',
      '--models',
      'naive,lstm',
      '--test-size',
      '5',
      '--refit',
      'once',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.target).toBe('rv5');
    expect(doc.models.lstm.points).toHaveLength(15);
    for (const p of doc.models.lstm.points) expect(p.predicted).toBeGreaterThan(0);
  });

  it('bad panel input and flags', () => {
    for (const [args, code, pattern] of [
      [
        ['--csv', 'fixtures/stocks.csv', '--symbol-column', 'Ticker'],
        1,
        /DataError: fixtures\/stocks.csv:1: no symbol column "Ticker": the header has "symbol", "date", "price"/,
      ],
      [['--wide'], 2, /--wide reads a CSV: give --csv FILE/],
      [
        ['--csv', 'fixtures/stocks.csv', '--symbol-column', 'symbol', '--strategy', 'long-flat'],
        2,
        /--strategy: not available for panels yet/,
      ],
      // Single-series flags are refused on a panel, never silently ignored.
      [
        [
          '--csv',
          'fixtures/stocks.csv',
          '--symbol-column',
          'symbol',
          '--target',
          'price',
          '--plot',
          'x.svg',
          '--cost-bps',
          '2',
        ],
        2,
        /--cost-bps, --plot: not available for panels yet/,
      ],
      [
        ['--csv', 'fixtures/stocks.csv', '--symbol-column', 'symbol', '--target', 'price', '--window', 'sliding'],
        2,
        /--window 'sliding' needs --train-length/,
      ],
      [
        ['--csv', 'fixtures/stocks.csv', '--symbol-column', 'symbol', '--symbols', 'AAPL,NOPE', '--target', 'price'],
        1,
        /symbol "NOPE" has no rows: the symbols found are "AAPL"/,
      ],
    ] as const) {
      const r = cli('backtest', ...args, '--models', 'naive');
      expect(r.code, r.stderr).toBe(code);
      expect(r.stderr).toMatch(pattern);
    }
    const dup = join(dir, 'dup.csv');
    writeFileSync(dup, 'date,A,A\n2021-01-04,1,2\n');
    const r = cli('backtest', '--csv', dup, '--wide', '--models', 'naive');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/symbol "A" appears twice in the header \(columns 2 and 3\)/);
  });

  it('--concurrency and --redis: a global LSTM refit on worker threads and by a queue worker equals the local run', async () => {
    const secret = 'panel-queue-secret';
    const redis = await startRedis({ password: secret });
    const worker = startCli(['worker', '--redis', redis.url, '--concurrency', '1']);
    try {
      await worker.waitFor(/stockcast worker .* on redis:\/\/127\.0\.0\.1:\d+\/0/);
      const args = [
        'backtest',
        '--csv',
        'fixtures/stocks.csv',
        '--symbol-column',
        'symbol',
        '--target',
        'price',
        '--models',
        'naive,lstm',
        '--test-size',
        '8',
        '--step',
        '2',
        '--refit',
        '2',
        '--lookback',
        '6',
        '--units',
        '6',
        '--epochs',
        '2',
        '--json',
      ];
      const runs = await Promise.all([
        cliAsync(...args, '--concurrency', '1'),
        cliAsync(...args, '--concurrency', '2'),
        cliAsync(...args, '--redis', redis.url),
      ]);
      for (const r of runs) expect(r.code, r.stderr).toBe(0);
      const [here, threads, queued] = runs.map((r) => JSON.parse(r.stdout));
      expect(here.models.lstm.points.length).toBeGreaterThan(0);
      expect(threads.models.lstm.points).toEqual(here.models.lstm.points);
      expect(queued.models.lstm.points).toEqual(here.models.lstm.points);
      expect(queued.options.queue).toBe('redis');
      for (const r of runs) expect(r.stdout + r.stderr).not.toContain(secret);
    } finally {
      worker.child.kill('SIGTERM');
      await worker.exited;
      await redis.dispose();
    }
  });
});
