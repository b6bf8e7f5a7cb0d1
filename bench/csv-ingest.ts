/** Bench: 1,000,000-row OHLCV CSV ingestion with readCsv, against pandas read_csv + to_datetime on the same file. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsv } from '../src/index.js';
import { findPython } from './python.js';

/**
 * Writes a deterministic random-walk OHLCV file of `rows` one-minute bars (1M daily rows would pass year 4000).
 * The walk is in log prices with zero-mean steps (0.06% a minute), so prices stay in a stock's range. Before issue 22
 * the generator's LCG multiplied past 2^53 in doubles, its draws averaged 0.514, and the walk climbed to 1e120
 * (cells in exponent notation), which is no market data.
 */
export function writeOhlcv(path: string, rows: number): void {
  const lines = ['date,open,high,low,close,adjclose,volume'];
  let price = 100;
  let seed = 42;
  const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  let t = Date.UTC(2000, 0, 3, 9, 30);
  for (let i = 0; i < rows; i++) {
    const open = price;
    price *= Math.exp((rand() - 0.5) * 0.002);
    const high = Math.max(open, price) * (1 + rand() * 0.005);
    const low = Math.min(open, price) * (1 - rand() * 0.005);
    lines.push(
      `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')},${open.toFixed(6)},${high.toFixed(6)},${low.toFixed(6)},${price.toFixed(6)},${price.toFixed(6)},${Math.floor(rand() * 5e9)}`,
    );
    t += 60_000;
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

/** Seconds of the best of `repeats` reads, for stockcast and (when Python has pandas) pandas. */
export interface CsvTiming {
  stockcastSec: number;
  pandasSec?: number;
  /** pandas time / stockcast time: above 1, stockcast is faster. */
  ratio?: number;
}

/**
 * Times `readCsv` against pandas `read_csv` + `to_datetime(df['date'], <toDatetime>)` on one file, best of
 * `repeats`. The two alternate, one run each per round, so a shared machine's load weighs on both alike.
 */
export async function timeAgainstPandas(
  file: string,
  rows: number,
  toDatetime: string,
  repeats: number,
  python = findPython(['pandas']),
): Promise<CsvTiming> {
  const script = [
    'import time, pandas as pd',
    't0 = time.perf_counter()',
    `df = pd.read_csv(${JSON.stringify(file)})`,
    `df['date'] = pd.to_datetime(df['date'], ${toDatetime})`,
    'print(time.perf_counter() - t0)',
  ].join('\n');
  let best = Infinity;
  let pandasSec = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const s = await readCsv(file);
    best = Math.min(best, (performance.now() - t0) / 1000);
    if (s.length !== rows) throw new Error(`${file}: expected ${rows} rows, read ${s.length}`);
    if (!python) continue;
    const out = spawnSync(python, ['-c', script], { encoding: 'utf8' });
    const sec = Number.parseFloat(out.stdout);
    if (!Number.isFinite(sec)) throw new Error(`pandas run failed: ${out.stderr}`);
    pandasSec = Math.min(pandasSec, sec);
  }
  return python ? { stockcastSec: best, pandasSec, ratio: pandasSec / best } : { stockcastSec: best };
}

/** Runs the case (the bench file) and returns seconds for stockcast and pandas (best of `repeats`). */
export async function benchCsv(rows = 1_000_000, repeats = 3): Promise<{ rows: number } & CsvTiming> {
  const dir = mkdtempSync(join(tmpdir(), 'stockcast-bench-'));
  const file = join(dir, 'ohlcv.csv');
  try {
    writeOhlcv(file, rows);
    return { rows, ...(await timeAgainstPandas(file, rows, "format='%Y-%m-%d %H:%M:%S'", repeats)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
