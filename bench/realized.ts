/**
 * Bench: realized measures and resampling on 1,000,000 one-minute bars (24-hour days and NYSE sessions), next to
 * reading the file, and pandas' resample / groupby computing the same measures on the same file. Best of `repeats`,
 * in CPU seconds of the process (Node's process.cpuUsage, Python's time.process_time), so a busy shared machine
 * disturbs the comparison less than wall-clock time would.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { readCsv, realizedMeasures, resampleBars, type Series } from '../src/index.js';
import { writeOhlcv } from './csv-ingest.js';
import { findPython } from './python.js';
import type { Figure } from '../scripts/figures.js';

/** One timed operation. */
export interface RealizedBenchRow {
  what: string;
  /** Its name in docs/figures.json. */
  key: string;
  /** Output rows. */
  rows: number;
  stockcastSec: number;
  pandasSec?: number;
  /** pandasSec / stockcastSec: above 1, stockcast is faster. */
  ratio?: number;
  /** Typed-array bytes the call allocated, the most over the runs: its output and the buffers it outgrew. */
  allocatedBytes: number;
  /** Bytes of the output's columns and timestamps. */
  outputBytes: number;
}

/** What the bench reports. */
export interface RealizedBench {
  bars: number;
  readSec: number;
  /** Bytes of the input's columns in memory. */
  inputBytes: number;
  rows: RealizedBenchRow[];
}

// A collection on demand, so memory is measured without the garbage of earlier runs.
v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function best<T>(repeats: number, fn: () => T): { sec: number; value: T; allocated: number } {
  let sec = Infinity;
  let value!: T;
  let allocated = 0;
  for (let r = 0; r < repeats; r++) {
    value = undefined as T;
    gc();
    const before = process.memoryUsage().arrayBuffers;
    const c0 = process.cpuUsage();
    value = fn();
    const cpu = process.cpuUsage(c0);
    sec = Math.min(sec, (cpu.user + cpu.system) / 1e6);
    allocated = Math.max(allocated, process.memoryUsage().arrayBuffers - before);
  }
  return { sec, value, allocated };
}

/** NYSE full-day closures on weekdays in the bench's span (2000-2001), for pandas' session filter. */
const NYSE_CLOSED_2000_2001 = [
  ...['2000-01-17', '2000-02-21', '2000-04-21', '2000-05-29', '2000-07-04', '2000-09-04', '2000-11-23', '2000-12-25'],
  ...['2001-01-01', '2001-01-15', '2001-02-19', '2001-04-13', '2001-05-28', '2001-07-04', '2001-09-03', '2001-09-11'],
  ...['2001-09-12', '2001-09-13', '2001-09-14', '2001-11-22', '2001-12-25'],
];

const PANDAS = (file: string, repeats: number) => `
import time, math, numpy as np, pandas as pd
df = pd.read_csv(${JSON.stringify(file)})
df['date'] = pd.to_datetime(df['date'], format='%Y-%m-%d %H:%M:%S', utc=True)
df = df.set_index('date')
closed = set(${JSON.stringify(NYSE_CLOSED_2000_2001)})
def measures(frame, key):
    lr = np.log(frame['close'])
    r = lr.groupby(key).diff()
    a = r.abs()
    prev = a.groupby(key).shift(1)
    out = pd.DataFrame({'rv': (r * r).groupby(key).sum(), 'bv': (a * prev).groupby(key).sum() * math.pi / 2,
        'rsPos': (r.clip(lower=0) ** 2).groupby(key).sum(), 'rsNeg': (r.clip(upper=0) ** 2).groupby(key).sum(),
        'r4': (r ** 4).groupby(key).sum(), 'bars': r.groupby(key).size(), 'n': r.groupby(key).count()})
    out['jump'] = (out['rv'] - out['bv']).clip(lower=0)
    out['rq'] = out['n'] / 3 * out['r4']
    return out
def nyse(frame):
    wall = frame.index.tz_convert('America/New_York').tz_localize(None)
    date = wall.normalize()
    minutes = wall.hour * 60 + wall.minute
    keep = (date.weekday < 5) & ~date.strftime('%Y-%m-%d').isin(closed) & (minutes >= 570) & (minutes < 960)
    return frame[keep], date[keep]
OHLCV = {'open': 'first', 'high': 'max', 'low': 'min', 'close': 'last', 'volume': 'sum'}
cases = {
  'realized, 24h days': lambda: measures(df, df.index.floor('D')),
  'realized, NYSE sessions': lambda: measures(*nyse(df)),
  'resample 1d, 24h days': lambda: df.resample('1D').agg(OHLCV).dropna(),
  'resample 5m, 24h days': lambda: df.resample('5min').agg(OHLCV).dropna(),
}
res = {}
for name, fn in cases.items():
    best = 1e9
    for _ in range(${repeats}):
        t0 = time.process_time(); out = fn(); best = min(best, time.process_time() - t0)
    res[name] = [best, len(out)]
import json; print(json.dumps(res))
`;

/** Runs the bench on `bars` one-minute bars. */
export async function benchRealized(bars = 1_000_000, repeats = 5): Promise<RealizedBench> {
  const dir = mkdtempSync(join(tmpdir(), 'stockcast-bench-realized-'));
  const file = join(dir, 'bars.csv');
  try {
    writeOhlcv(file, bars);
    const t0 = performance.now();
    const series: Series = await readCsv(file);
    const readSec = (performance.now() - t0) / 1000;
    const keys: Record<string, string> = {
      'realized, 24h days': 'realizedDays',
      'realized, NYSE sessions': 'realizedNyse',
      'resample 1d, 24h days': 'resampleDaily',
      'resample 5m, 24h days': 'resample5m',
    };
    const cases: Array<[string, () => Series]> = [
      ['realized, 24h days', () => realizedMeasures(series)],
      ['realized, NYSE sessions', () => realizedMeasures(series, { calendar: 'nyse' })],
      ['resample 1d, 24h days', () => resampleBars(series)],
      ['resample 5m, 24h days', () => resampleBars(series, { interval: '5m' })],
    ];
    const rows: RealizedBenchRow[] = cases.map(([what, fn]) => {
      const r = best(repeats, fn);
      return {
        what,
        key: keys[what],
        rows: r.value.length,
        stockcastSec: r.sec,
        allocatedBytes: r.allocated,
        outputBytes: r.value.length * (r.value.columns.length + 1) * 8,
      };
    });
    const python = findPython(['pandas', 'numpy']);
    if (python) {
      const out = spawnSync(python, ['-c', PANDAS(file, repeats)], { encoding: 'utf8', maxBuffer: 1 << 24 });
      const pandas = JSON.parse(out.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, [number, number]>;
      for (const row of rows) {
        const p = pandas[row.what];
        if (!p) throw new Error(`pandas run failed: ${out.stderr.slice(0, 500)}`);
        if (p[1] !== row.rows) throw new Error(`${row.what}: pandas made ${p[1]} rows, stockcast ${row.rows}`);
        row.pandasSec = p[0];
        row.ratio = p[0] / row.stockcastSec;
      }
    }
    return { bars, readSec, inputBytes: series.columns.length * bars * 8 + bars * 8, rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The figures docs/performance.md quotes from a run, for docs/figures.json. */
export function realizedFigures(r: RealizedBench): Record<string, Omit<Figure, 'measured'>> {
  const source = 'npm run bench -- --realized --figures (1,000,000 one-minute bars, CPU seconds, best of 5)';
  const out: Record<string, Omit<Figure, 'measured'>> = {
    realizedReadSeconds: { value: r.readSec, digits: 2, suffix: ' s', source },
  };
  for (const row of r.rows) {
    out[`${row.key}Seconds`] = { value: row.stockcastSec, digits: 3, source };
    out[`${row.key}AllocatedKb`] = { value: row.allocatedBytes / 1e3, digits: 0, suffix: ' kB', source };
    out[`${row.key}OutputKb`] = { value: row.outputBytes / 1e3, digits: 0, suffix: ' kB', source };
    if (row.pandasSec !== undefined && row.ratio !== undefined) {
      out[`${row.key}PandasSeconds`] = { value: row.pandasSec, digits: 3, source };
      out[`${row.key}Ratio`] = { value: row.ratio, digits: 2, source };
    }
  }
  return out;
}
