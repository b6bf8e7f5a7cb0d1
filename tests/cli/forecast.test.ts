import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, CLI_ENTRY } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'stockcast-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('stockcast forecast', () => {
  it('trains, saves, reports; a saved model forecasts the same values', () => {
    const model = join(dir, 'model');
    const args = [
      'forecast',
      '--csv',
      'fixtures/ncsoft-weekly.csv',
      '--target',
      'stock_price',
      '--features',
      'num_search,stock_price',
      '--cell',
      'gru',
      '--lookback',
      '5',
      '--horizon',
      '2',
      '--units',
      '8',
      '--epochs',
      '30',
      '--seed',
      '3',
    ];
    const r = cli(...args, '--save', model, '--plot', join(dir, 'f.svg'), '--report', join(dir, 'f.html'), '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.forecast.map((f: { date: string }) => f.date)).toEqual(['2021-08-29', '2021-09-05']);
    expect(doc.model).toMatchObject({ cell: 'gru', lookback: 5, horizon: 2, features: ['num_search', 'stock_price'] });
    expect(readFileSync(join(dir, 'f.svg'), 'utf8')).toMatch(/^<svg/);
    const html = readFileSync(join(dir, 'f.html'), 'utf8');
    expect(html).toMatch(/Forecast: fixtures\/ncsoft-weekly.csv stock_price/);
    // The forecast chart and the loss curve; the training table is sampled, not all 30 epochs.
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html.match(/<tr>/g)!.length).toBeLessThan(30);
    const again = cli('forecast', '--csv', 'fixtures/ncsoft-weekly.csv', '--model', model, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).forecast).toEqual(doc.forecast);
    // Flags that would retrain differently contradict the loaded model: refused by name, not ignored.
    const contradicting = cli(
      'forecast',
      '--csv',
      'fixtures/ncsoft-weekly.csv',
      '--model',
      model,
      '--cell',
      'rnn',
      '--lookback',
      '9',
      '--coverage',
      '0.9',
      '--threads',
      '2',
    );
    expect(contradicting.code).toBe(2);
    expect(contradicting.stderr).toMatch(
      /--model uses the saved model's settings; --cell, --coverage, --threads, --lookback would be ignored/,
    );
    const otherTarget = cli(
      'forecast',
      '--csv',
      'fixtures/ncsoft-weekly.csv',
      '--model',
      model,
      '--target',
      'num_search',
    );
    expect(otherTarget.code).toBe(2);
    expect(otherTarget.stderr).toMatch(
      /--target "num_search" contradicts the saved model, which forecasts "stock_price"/,
    );
    // What a loaded model can honour it does: --save writes it again.
    const copy = cli(
      'forecast',
      '--csv',
      'fixtures/ncsoft-weekly.csv',
      '--model',
      model,
      '--save',
      join(dir, 'copy'),
      '--json',
    );
    expect(copy.code).toBe(0);
    expect(
      JSON.parse(cli('forecast', '--csv', 'fixtures/ncsoft-weekly.csv', '--model', join(dir, 'copy'), '--json').stdout)
        .forecast,
    ).toEqual(doc.forecast);
  });

  it('prints a readable table without --json', () => {
    const r = cli(
      'forecast',
      '--csv',
      'fixtures/sp500-2000.csv',
      '--lookback',
      '10',
      '--horizon',
      '3',
      '--units',
      '4',
      '--epochs',
      '1',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/LSTM forecast of close after 2020-04-17/);
    expect(r.stdout).toMatch(/2020-04-20\s+\d+/);
  });

  it('--coverage adds a calibrated interval to the table and the JSON', () => {
    const r = cli(
      'forecast',
      '--csv',
      'fixtures/sp500-2000.csv',
      '--lookback',
      '10',
      '--horizon',
      '2',
      '--units',
      '8',
      '--epochs',
      '2',
      '--validation',
      '0.1',
      '--coverage',
      '0.8',
      '--json',
    );
    expect(r.code).toBe(0);
    const [first] = JSON.parse(r.stdout).forecast as Array<{ value: number; lower: number; upper: number }>;
    expect(first.lower).toBeLessThan(first.value);
    expect(first.upper).toBeGreaterThan(first.value);
    expect(
      cli('forecast', '--csv', 'fixtures/sp500-2000.csv', '--coverage', '0.8', '--validation', '0').stderr,
    ).toMatch(/--coverage needs validation data to calibrate the interval on: drop --validation 0/);
  });

  it('usage and runtime errors', () => {
    expect(cli('forecast').code).toBe(2);
    const missing = cli('forecast', '--csv', 'fixtures/ncsoft-weekly.csv');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--target is required: the data has num_search, stock_price/);
    const short = cli(
      'forecast',
      '--csv',
      'fixtures/ncsoft-weekly.csv',
      '--target',
      'stock_price',
      '--lookback',
      '30',
      '--horizon',
      '5',
    );
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/lookback 30 \+ horizon 5 needs 35 training rows, but the series has 23/);
    expect(cli('forecast', '--csv', 'fixtures/ncsoft-weekly.csv', '--model', join(dir, 'none')).stderr).toMatch(
      /PersistenceError: .*model.json: missing/,
    );
  });
});

describe('stockcast info', () => {
  it('reports versions, the backend and optional packages', () => {
    const r = cli('info', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.backend).toBe('wasm');
    expect(doc).toMatchObject({ engine: 'fused', fusedEngineBuilt: true });
    expect(doc.tfjs).toMatch(/^4\./);
    expect(doc.optional['@tensorflow/tfjs-node']).toBeNull();
    expect(doc.optional['danfojs-node']).toBe('1.2.0');
  });
});

describe('Ctrl-C', () => {
  it('stops training between epochs, exits 130 and leaves no half-written model', async () => {
    const { spawn } = await import('node:child_process');
    const { existsSync, readdirSync } = await import('node:fs');
    const model = join(dir, 'interrupted');
    const child = spawn(
      process.execPath,
      [
        ...CLI_ENTRY,
        'forecast',
        '--csv',
        'fixtures/sp500-2000.csv',
        '--lookback',
        '30',
        '--units',
        '64',
        '--epochs',
        '100000',
        '--save',
        model,
      ],
      { env: { ...process.env, CI: 'true' } },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Interrupt once training has started (the CLI says so on stderr, after installing its handler).
    for (let waited = 0; !stderr.includes('training LSTM(64)') && waited < 60_000; waited += 100)
      await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted: stopping after the current step/);
    expect(existsSync(model)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('a panel: one global model, one forecast per symbol (long or wide CSV), trading dates from --calendar', () => {
    const long = cli(
      'forecast',
      '--csv',
      'fixtures/stocks.csv',
      '--symbol-column',
      'symbol',
      '--target',
      'price',
      '--lookback',
      '6',
      '--epochs',
      '2',
      '--units',
      '4',
      '--horizon',
      '2',
      '--json',
    );
    expect(long.code, long.stderr).toBe(0);
    const doc = JSON.parse(long.stdout) as {
      target: string;
      bySymbol: Record<string, { origin: string; forecast: { date: string; value: number }[] }>;
      symbols: string[];
    };
    expect(doc.target).toBe('price');
    expect(Object.keys(doc.bySymbol).sort()).toEqual(['AAPL', 'AMZN', 'GOOG', 'IBM', 'MSFT']);
    for (const s of Object.values(doc.bySymbol)) {
      expect(s.origin).toBe('2010-03-01T00:00:00.000Z');
      expect(s.forecast.map((p) => p.date)).toEqual(['2010-04-01', '2010-05-01']);
      for (const p of s.forecast) expect(Number.isFinite(p.value)).toBe(true);
    }
    // A daily wide panel ending on Thursday 2024-03-28: Good Friday is closed on the NYSE calendar.
    const days: string[] = [];
    for (let t = Date.UTC(2024, 0, 2); days.length < 80; t += 86_400_000)
      if (![0, 6].includes(new Date(t).getUTCDay())) days.push(new Date(t).toISOString().slice(0, 10));
    const end = days.indexOf('2024-03-28');
    const wide = join(dir, 'wide.csv');
    writeFileSync(
      wide,
      ['date,A,B', ...days.slice(0, end + 1).map((d, i) => `${d},${100 + Math.sin(i)},${50 + i * 0.1}`)].join('\n') +
        '\n',
    );
    const run = (...extra: string[]) =>
      JSON.parse(
        cli(
          'forecast',
          '--csv',
          wide,
          '--wide',
          '--lookback',
          '5',
          '--epochs',
          '1',
          '--units',
          '4',
          '--horizon',
          '2',
          '--json',
          ...extra,
        ).stdout,
      ) as typeof doc;
    expect(run('--calendar', 'nyse').bySymbol.A.forecast.map((p) => p.date)).toEqual(['2024-04-01', '2024-04-02']);
    expect(run().bySymbol.B.forecast.map((p) => p.date)).toEqual(['2024-03-29', '2024-04-01']);
    // Single-series flags that a panel forecast cannot honour are refused by name.
    const refused = cli('forecast', '--csv', wide, '--wide', '--plot', join(dir, 'panel.svg'));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--plot: not available for panel forecasts yet/);
  });

  it('a panel takes the model and training flags of one series: the JSON says what the model ran with', () => {
    const flags = [
      '--lookback',
      '6',
      '--epochs',
      '3',
      '--units',
      '4',
      '--layers',
      '2',
      '--dropout',
      '0.1',
      '--optimizer',
      'rmsprop',
      '--clip-norm',
      '2',
      '--scaler',
      'robust',
      '--validation',
      '0.3',
      '--final-fit',
      'training',
      '--coverage',
      '0.8',
    ];
    const r = cli(
      'forecast',
      '--csv',
      'fixtures/stocks.csv',
      '--symbol-column',
      'symbol',
      '--target',
      'price',
      ...flags,
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.model).toMatchObject({
      layers: 2,
      dropout: 0.1,
      optimizer: 'rmsprop',
      clipNorm: 2,
      scaler: 'robust',
      windowNorm: 'none',
      validation: 0.3,
      finalFit: null,
      coverage: 0.8,
    });
    expect(doc.adjusted[0]).toMatchObject({ option: 'windowNorm', value: 'none' });
    expect(doc.validation).toMatchObject({ heldOut: true });
    expect(doc.validation.windows).toBeGreaterThan(0);
    expect(doc.run.engine).toBeDefined();
    for (const s of Object.values(doc.bySymbol) as Array<{
      forecast: Array<{ value: number; lower: number; upper: number }>;
    }>) {
      for (const p of s.forecast) expect(p.lower).toBeLessThan(p.value), expect(p.upper).toBeGreaterThan(p.value);
    }
    expect(r.stderr).toMatch(/validation \(\d+ windows\): RMSE/);
    expect(r.stderr).toMatch(/note: windowNorm none: scaler 'robust' was given without windowNorm/);
  });
});

describe('stockcast forecast: options given win, and the final fit', () => {
  it('--scaler standard without --window-norm runs with windowNorm none and says so; --final-fit training', () => {
    const args = [
      'forecast',
      '--csv',
      'fixtures/sp500-2000.csv',
      '--scaler',
      'standard',
      '--epochs',
      '2',
      '--lookback',
      '10',
      '--units',
      '4',
    ];
    const r = cli(...args, '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.model.windowNorm).toBe('none');
    expect(doc.model.finalFit).toEqual({ rows: 5105, epochs: doc.model.epochs });
    expect(doc.validation.heldOut).toBe(true);
    expect(r.stderr).toMatch(/note: windowNorm none: scaler 'standard' was given without windowNorm/);
    const kept = cli(...args, '--final-fit', 'training', '--json');
    expect(kept.code).toBe(0);
    expect(JSON.parse(kept.stdout).model.finalFit).toBeNull();
    const both = cli(...args, '--window-norm', 'last');
    expect(both.code).not.toBe(0);
    expect(both.stderr).toMatch(/windowNorm 'last'/);
  });
});
