/** Shared CLI plumbing: argument parsers, usage errors, series loading, progress bars, tables and JSON output. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { readCsv } from '../data/csv.js';
import { fetchYahoo } from '../data/yahoo.js';
import type { Series } from '../data/series.js';

/** A usage error: exit code 2 and a one-line message naming the argument. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Adds the recurrent-model options that `forecast` and `backtest` share; `epochs` defaults differ per command. */
export function addModelOptions(command: Command, defaults: { epochs: number }): Command {
  return command
    .option('--lookback <n>', 'recurrent models: window length', positiveInt, 30)
    .option('--units <n>', 'recurrent models: hidden units', positiveInt, 32)
    .option('--layers <n>', 'recurrent models: stacked layers', positiveInt, 1)
    .option('--epochs <n>', 'recurrent models: training epochs', positiveInt, defaults.epochs)
    .option('--batch-size <n>', 'recurrent models: batch size', positiveInt, 32)
    .option('--learning-rate <x>', 'recurrent models: learning rate', nonNegative, 0.001)
    .option('--seed <n>', 'seed', integer, 1);
}

/** Parses a positive integer option value. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, received "${value}"`);
  return n;
}

/** Parses an integer option value (seeds may be 0). */
export function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`expected an integer, received "${value}"`);
  return n;
}

/** Parses a non-negative number option value. */
export function nonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || value.trim() === '') throw new InvalidArgumentError(`expected a number >= 0, received "${value}"`);
  return n;
}

/** Parses a comma-separated list. */
export function list(value: string): string[] {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new InvalidArgumentError('expected a comma-separated list');
  return items;
}

/** Where a command's data comes from, and its target column. */
export interface SourceOptions {
  csv?: string;
  symbol?: string;
  dateColumn?: string;
  dateFormat?: string;
  missing?: 'error' | 'drop' | 'ffill' | 'interpolate';
  duplicates?: 'error' | 'first' | 'last';
  from?: string;
  to?: string;
  interval?: string;
  cacheDir?: string;
  target?: string;
}

/** Adds the data-source options that `forecast` and `backtest` share. */
export function addSourceOptions(command: Command): Command {
  return command
    .option('--csv <file>', 'price history CSV')
    .option('--symbol <symbol>', 'Yahoo Finance symbol (network; cached)')
    .option('--date-column <name>', 'date column of the CSV')
    .option('--date-format <format>', 'date format of the CSV: iso, epoch-s, epoch-ms or a date-fns format like yyyy.M.d (default: detected)')
    .addOption(new Option('--missing <policy>', 'missing values (default: error; Yahoo bars without any price are always dropped)').choices(['error', 'drop', 'ffill', 'interpolate']))
    .addOption(new Option('--duplicates <policy>', 'repeated dates in the CSV').choices(['error', 'first', 'last']).default('error'))
    .option('--from <date>', 'start date for --symbol')
    .option('--to <date>', 'end date for --symbol')
    .option('--interval <bar>', 'bar size for --symbol', '1d')
    .option('--cache-dir <dir>', 'cache folder for --symbol', '.stockcast-cache')
    .option('--target <column>', 'target column (default: close)');
}

/** Loads a series from --csv or --symbol (Yahoo through the cache). */
export async function loadSource(o: SourceOptions, signal?: AbortSignal): Promise<Series> {
  if (o.csv && o.symbol) throw new UsageError('give either --csv or --symbol, not both');
  if (o.csv) {
    return readCsv(o.csv, {
      ...(o.dateColumn ? { dateColumn: o.dateColumn } : {}),
      ...(o.dateFormat ? { dateFormat: o.dateFormat } : {}),
      ...(o.missing ? { missing: o.missing } : {}),
      ...(o.duplicates ? { duplicates: o.duplicates } : {}),
    });
  }
  if (o.symbol) {
    return fetchYahoo(o.symbol, {
      ...(o.from ? { from: o.from } : {}),
      ...(o.to ? { to: o.to } : {}),
      ...(o.interval ? { interval: o.interval as never } : {}),
      cacheDir: o.cacheDir ?? '.stockcast-cache',
      ...(o.missing ? { missing: o.missing } : {}),
      ...(signal ? { signal } : {}),
    });
  }
  throw new UsageError('missing data: give --csv FILE or --symbol SYMBOL');
}

/** Picks the target column: the one asked for, else close/Close/adjclose, else the only column. */
export function pickTarget(series: Series, target: string | undefined): string {
  if (target) {
    if (!series.has(target)) throw new UsageError(`--target "${target}" is not a column; the data has ${series.columns.join(', ')}`);
    return target;
  }
  const found = ['close', 'Close', 'adjclose', 'Adj Close', 'adjClose'].find((c) => series.has(c)) ?? (series.columns.length === 1 ? series.columns[0] : undefined);
  if (!found) throw new UsageError(`--target is required: the data has ${series.columns.join(', ')}`);
  return found;
}

/** Whether to draw progress bars: only for people at a terminal. */
export function interactive(json: boolean | undefined): boolean {
  return Boolean(process.stderr.isTTY) && !json && !process.env.CI;
}

/** A progress bar on stderr, or nothing when not interactive. */
export function progressBar(enabled: boolean, format: string): { start(total: number, payload?: object): void; update(value: number, payload?: object): void; stop(): void } {
  if (!enabled) return { start() {}, update() {}, stop() {} };
  const bar = new cliProgress.SingleBar({ format, stream: process.stderr, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
  return { start: (total, payload) => bar.start(total, 0, payload), update: (value, payload) => bar.update(value, payload), stop: () => bar.stop() };
}

/** Formats a duration for ETAs. */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** Prints an aligned text table. */
export function printTable(columns: string[], rows: Array<Array<string | number>>): void {
  const text = rows.map((r) => r.map((v) => (typeof v !== 'number' ? v : !Number.isFinite(v) || Number.isInteger(v) ? String(v) : Math.abs(v) >= 1000 ? v.toFixed(1) : v.toFixed(4))));
  const widths = columns.map((c, i) => Math.max(c.length, ...text.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(columns));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of text) console.log(line(r));
}

/** Writes a JSON document to stdout (numbers that are not finite become null, as JSON requires). */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v instanceof Float64Array || v instanceof Float32Array ? Array.from(v) : v), 2) + '\n');
}

/** An AbortSignal that fires on Ctrl-C, so long runs stop between epochs and leave no half-written files. */
export function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\ninterrupted: stopping after the current step\n');
    controller.abort();
    process.exitCode = 130;
  });
  return controller.signal;
}
