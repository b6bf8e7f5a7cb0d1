/**
 * Bench: CSV ingestion of other shapes of the same 1,000,000 one-minute OHLCV rows (exponent notation, 17-digit
 * prices, every field quoted, CRLF line breaks, ISO date-times with milliseconds and offsets), readCsv against
 * pandas read_csv + to_datetime on the same file, best of 3 each.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CsvTiming, timeAgainstPandas, writeOhlcv } from './csv-ingest.js';
import { findPython } from './python.js';

/** The file issue 22 first measured: an LCG in doubles whose walk climbs to 1e120, written in exponent notation. */
function writeExponent(path: string, rows: number): void {
  const lines = ['date,open,high,low,close,adjclose,volume'];
  let price = 100;
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  let t = Date.UTC(2000, 0, 3, 9, 30);
  const cell = (v: number) => v.toFixed(6);
  for (let i = 0; i < rows; i++, t += 60_000) {
    const open = price;
    price *= 1 + (rand() - 0.5) * 0.02;
    const high = Math.max(open, price) * (1 + rand() * 0.005);
    const low = Math.min(open, price) * (1 - rand() * 0.005);
    const date = new Date(t).toISOString().slice(0, 19).replace('T', ' ');
    const prices = [open, high, low, price, price].map(cell).join(',');
    lines.push(`${date},${prices},${Math.floor(rand() * 5e9)}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

/** The bench file with each line rewritten by `edit` (fields split at commas) and joined by `eol`. */
function rewrite(path: string, rows: number, edit: (fields: string[], i: number) => string[], eol = '\n'): void {
  writeOhlcv(path, rows);
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  const out = lines.map((line, i) => edit(line.split(','), i).join(','));
  writeFileSync(path, `${out.join(eol)}${eol}`);
}

const SPACE_DATE = "'%Y-%m-%d %H:%M:%S'";

/** The shapes: how each file is written, and how pandas converts its dates. */
const SHAPES: { name: string; write: (path: string, rows: number) => void; toDatetime: string }[] = [
  { name: 'exponent', write: writeExponent, toDatetime: `format=${SPACE_DATE}` },
  {
    name: 'digits',
    // 17 significant digits, as String(x) and Python's repr write a double.
    write: (p, n) =>
      rewrite(p, n, (f, i) => (i === 0 ? f : f.map((c, k) => (k > 0 && k < 6 ? String(Number(c) * (1 + 1e-9)) : c)))),
    toDatetime: `format=${SPACE_DATE}`,
  },
  {
    name: 'quoted',
    write: (p, n) => rewrite(p, n, (f) => f.map((c) => `"${c}"`)),
    toDatetime: `format=${SPACE_DATE}`,
  },
  { name: 'crlf', write: (p, n) => rewrite(p, n, (f) => f, '\r\n'), toDatetime: `format=${SPACE_DATE}` },
  {
    name: 'isoOffset',
    write: (p, n) =>
      rewrite(p, n, (f, i) =>
        i === 0 ? f : [`${f[0].replace(' ', 'T')}.${String(i % 1000).padStart(3, '0')}+01:00`, ...f.slice(1)],
      ),
    toDatetime: 'utc=True',
  },
];

/** Seconds for stockcast and pandas on each shape (best of `repeats`, alternating), and their ratio. */
export async function benchCsvShapes(rows = 1_000_000, repeats = 3): Promise<Array<{ shape: string } & CsvTiming>> {
  const dir = mkdtempSync(join(tmpdir(), 'stockcast-bench-shapes-'));
  const python = findPython(['pandas']);
  const results: Array<{ shape: string } & CsvTiming> = [];
  try {
    for (const shape of SHAPES) {
      const file = join(dir, `${shape.name}.csv`);
      shape.write(file, rows);
      const timing = await timeAgainstPandas(file, rows, shape.toDatetime, repeats, python);
      rmSync(file);
      results.push({ shape: shape.name, ...timing });
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
