/**
 * `npm run bench -- --defaults`: walk-forward Theil's U of the recurrent forecasters against the naive forecast on
 * the benchmark set, with default options (`--candidates` also runs the input schemes the defaults were chosen
 * from). Real series: the bundled S&P 500 (daily) and the five monthly stocks of vega-datasets; generated series:
 * seeded geometric random walks with a strong trend, with regime changes, and a mean-reverting one around a trend.
 */
import { compareModels, parseCsv, readCsv, Series, type ForecasterOptions } from '../src/index.js';
import { createRng } from '../src/util/random.js';
import { readFileSync } from 'node:fs';

/** One series of the benchmark set and how it is backtested. */
export interface BenchSeries {
  name: string;
  series: Series;
  testSize: number;
  refit: number;
}

const DAY = 86_400_000;

/** Business days from 2010-01-04, `n` of them. */
function businessDays(n: number): Float64Array {
  const out = new Float64Array(n);
  for (let t = Date.UTC(2010, 0, 4), i = 0; i < n; t += DAY) {
    const dow = new Date(t).getUTCDay();
    if (dow !== 0 && dow !== 6) out[i++] = t;
  }
  return out;
}

/** A seeded geometric random walk: log returns with per-day drift and volatility given by `regime(day)`. */
function generated(
  seed: number,
  n: number,
  regime: (day: number, logPrice: number) => { drift: number; vol: number },
): Series {
  const rng = createRng(seed);
  const close = new Float64Array(n);
  let logPrice = Math.log(100);
  for (let i = 0; i < n; i++) {
    const { drift, vol } = regime(i, logPrice);
    // Box-Muller from the seeded generator.
    const z = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    logPrice += drift + vol * z;
    close[i] = Math.exp(logPrice);
  }
  return Series.create({ timestamps: businessDays(n), columns: { close } });
}

/** The benchmark set. */
export async function benchmarkSet(): Promise<BenchSeries[]> {
  const sp = (await readCsv('fixtures/sp500-2000.csv')).select(['close']).slice(-2520);
  const out: BenchSeries[] = [{ name: 'S&P 500 daily (last 10 years)', series: sp, testSize: 250, refit: 50 }];
  const stocks = readFileSync('fixtures/stocks.csv', 'utf8').split('\n').slice(1).filter(Boolean);
  for (const symbol of ['MSFT', 'AMZN', 'IBM', 'GOOG', 'AAPL']) {
    const rows = stocks.filter((r) => r.startsWith(`${symbol},`)).map((r) => r.slice(symbol.length + 1));
    const series = parseCsv(
      `date,close\n${rows.map((r) => r.replace(/^([A-Za-z]+ \d+ \d+),/, '"$1",')).join('\n')}\n`,
      { dateFormat: 'MMM d yyyy' },
    );
    out.push({ name: `${symbol} monthly (vega-datasets)`, series, testSize: 24, refit: 6 });
  }
  out.push(
    {
      name: 'generated: strong uptrend',
      series: generated(1, 2000, () => ({ drift: 0.0015, vol: 0.01 })),
      testSize: 250,
      refit: 50,
    },
    {
      name: 'generated: regime changes',
      series: generated(
        2,
        2000,
        (d) =>
          [
            { drift: 0.001, vol: 0.008 },
            { drift: -0.0012, vol: 0.02 },
            { drift: 0.0005, vol: 0.012 },
            { drift: 0.0018, vol: 0.01 },
          ][Math.floor(d / 500) % 4],
      ),
      testSize: 250,
      refit: 50,
    },
    {
      name: 'generated: mean-reverting around a trend',
      series: generated(3, 2000, (d, lp) => ({ drift: 0.05 * (Math.log(100) + 0.0008 * d - lp) + 0.0008, vol: 0.01 })),
      testSize: 250,
      refit: 50,
    },
  );
  return out;
}

/** Input schemes compared when choosing the defaults. */
export const CANDIDATES: Record<string, Partial<ForecasterOptions>> = {
  'levels (minmax scaler)': { scaler: 'minmax', windowNorm: 'none' },
  'relative to the last value': { scaler: 'none', windowNorm: 'last' },
  'window z-score': { scaler: 'none', windowNorm: 'zscore' },
};

/** One cell of the table. */
export interface DefaultsRow {
  series: string;
  cell: 'rnn' | 'lstm' | 'gru';
  inputs: string;
  theilU: number;
  rmse: number;
  naiveRmse: number;
  seconds: number;
}

/**
 * Backtests every cell on every series with the defaults (and, with `candidates`, each input scheme).
 * @param options - `candidates`: compare the schemes; `cells`: which cells; `log`: a line per result
 */
export async function benchDefaults(
  options: { candidates?: boolean; cells?: Array<'rnn' | 'lstm' | 'gru'>; log?: (line: string) => void } = {},
): Promise<DefaultsRow[]> {
  const schemes: Record<string, Partial<ForecasterOptions>> = options.candidates ? CANDIDATES : { defaults: {} };
  const rows: DefaultsRow[] = [];
  for (const b of await benchmarkSet()) {
    for (const cell of options.cells ?? (['lstm', 'gru', 'rnn'] as const)) {
      for (const [inputs, forecaster] of Object.entries(schemes)) {
        const started = performance.now();
        const c = await compareModels(b.series, ['naive', { name: cell, forecaster: { cell, ...forecaster } }], {
          target: 'close',
          testSize: b.testSize,
          refit: b.refit,
        });
        const row = c.rows.find((r) => r.model === cell)!;
        const naive = c.rows.find((r) => r.model === 'naive')!;
        rows.push({
          series: b.name,
          cell,
          inputs,
          theilU: row.theilU,
          rmse: row.metrics.rmse,
          naiveRmse: naive.metrics.rmse,
          seconds: (performance.now() - started) / 1000,
        });
        options.log?.(
          `${b.name.padEnd(42)} ${cell.padEnd(5)} ${inputs.padEnd(28)} U ${row.theilU.toFixed(3)}  (${((performance.now() - started) / 1000).toFixed(0)} s)`,
        );
      }
    }
  }
  return rows;
}
