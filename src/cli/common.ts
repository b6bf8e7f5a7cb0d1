/** Shared CLI plumbing: argument parsers, usage errors, series loading, progress bars, tables and JSON output. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import { readCsv } from '../data/csv/csv.js';
import { fetchYahoo } from '../data/yahoo/yahoo.js';
import type { Series } from '../data/series.js';
import { resolveTarget } from '../data/target.js';
import { DataError, ValidationError } from '../errors.js';
import { deprecationNotice, kebabFlag, vocabulary, type Word, type WordName } from '../vocabulary.js';

/** A usage error: exit code 2 and a one-line message naming the argument. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Parses a flag's text against its vocabulary word: numbers, `auto`-style literals and comma-separated lists,
 * each checked against the word's range. Commander names the flag in the error.
 */
function parserFor(word: Word): (value: string) => unknown {
  return (raw: string) => {
    const items = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    // A list flag may hold names (--features) or numbers (--quantiles 0.05,0.5,0.95).
    const candidates: unknown[] =
      word.schema instanceof z.ZodArray
        ? [items, ...(items.every((s) => Number.isFinite(Number(s))) ? [items.map(Number)] : [])]
        : [raw];
    // A map flag (--prices high=High,low=Low): key=value pairs.
    if (word.schema instanceof z.ZodObject)
      candidates.splice(
        0,
        candidates.length,
        Object.fromEntries(items.map((s) => [s.slice(0, s.indexOf('=')).trim(), s.slice(s.indexOf('=') + 1).trim()])),
      );
    if (raw.trim() !== '' && Number.isFinite(Number(raw))) candidates.unshift(Number(raw));
    for (const c of candidates) {
      const r = word.schema.safeParse(c);
      if (r.success) return r.data;
    }
    throw new InvalidArgumentError(`expected ${word.expects}, received "${raw}"`);
  };
}

const placeholders: Partial<Record<WordName, string>> = {
  learningRate: '<x>',
  dropout: '<x>',
  clipNorm: '<x>',
  coverage: '<p>',
  validation: '<fraction>',
  costBps: '<x>',
  temperature: '<t>',
  periodsPerYear: '<n>',
  features: '<list>',
  models: '<list>',
  module: '<files>',
  quantiles: '<list>',
  targetTransform: '<spec>',
  prices: '<key=column,...>',
  calibration: '<fraction>',
  symbols: '<list>',
  calendar: '<name>',
  symbolColumn: '<name>',
  benchmark: '<model>',
};

/**
 * The CLI option of a vocabulary word: its flag, meaning, range-checked parser, choices and the one default.
 * @param name - the word
 * @param description - what the flag does in this command (default: the word's meaning)
 */
export function wordOption(name: WordName, description?: string, withDefault = true): Option {
  const word: Word = vocabulary[name];
  if (!word.flag) throw new Error(`the vocabulary word ${name} has no CLI flag`);
  const isSwitch = word.schema instanceof z.ZodBoolean;
  const arg = isSwitch
    ? ''
    : ` ${placeholders[name] ?? (word.schema instanceof z.ZodNumber || word.schema instanceof z.ZodUnion ? '<n>' : '<value>')}`;
  const option = new Option(`${word.flag}${arg}`, description ?? word.meaning);
  if (isSwitch) return word.default === undefined ? option : option.default(word.default);
  if (word.schema instanceof z.ZodEnum) option.choices(word.schema.options as string[]);
  else option.argParser(parserFor(word));
  if (word.default !== undefined && withDefault) option.default(word.default);
  return option;
}

/**
 * Adds vocabulary words as options, each with its deprecated spellings as hidden options that still work and
 * print a one-line notice on stderr (stdout stays clean for --json).
 */
export function addWords(
  command: Command,
  names: readonly WordName[],
  descriptions: Partial<Record<WordName, string>> = {},
  withoutDefault: readonly WordName[] = [],
): Command {
  for (const name of names) {
    command.addOption(wordOption(name, descriptions[name], !withoutDefault.includes(name)));
    const word: Word = vocabulary[name];
    for (const old of word.deprecated) {
      if (!old.flag) continue;
      const hidden = new Option(`${old.flag} <value>`, `deprecated: use ${word.flag}`).hideHelp();
      if (!(word.schema instanceof z.ZodEnum)) hidden.argParser(parserFor(word));
      command.addOption(hidden);
      const attr = hidden.attributeName();
      const canonical = wordOption(name).attributeName();
      command.hook('preAction', (cmd) => {
        const value = cmd.getOptionValue(attr);
        if (value === undefined) return;
        if (cmd.getOptionValueSource(canonical) === 'cli')
          throw new UsageError(`give ${word.flag} or its old spelling ${old.flag}, not both`);
        deprecationNotice(old.flag!, word.flag!);
        cmd.setOptionValueWithSource(canonical, value, 'cli');
      });
    }
  }
  return command;
}

/** The recurrent-model flags that `forecast` and `backtest` share, with the vocabulary's words and defaults. */
export const MODEL_WORDS = [
  'lookback',
  'units',
  'layers',
  'dropout',
  'epochs',
  'batchSize',
  'learningRate',
  'optimizer',
  'clipNorm',
  'scaler',
  'windowNorm',
  'seed',
] as const satisfies readonly WordName[];

/** A word of {@link MODEL_WORDS}. */
export type ModelWord = (typeof MODEL_WORDS)[number];

/** The {@link MODEL_WORDS} with a default: a command that keeps its defaults always has them. */
export type DefaultedModelWord = Exclude<ModelWord, 'clipNorm'>;

/**
 * The forecaster options that the {@link MODEL_WORDS} flags give (those without a value left out). With the
 * command, only the flags the user gave: the API fills the same defaults, and can tell an option the user chose
 * (which wins, e.g. `--scaler standard`) from a default they never chose (`--window-norm last`).
 */
export function modelOptions(flags: object, command?: Command): Record<string, unknown> {
  const given = flags as Record<string, unknown>;
  const chosen = (w: WordName) => command?.getOptionValueSource(w) !== 'default';
  return Object.fromEntries(MODEL_WORDS.filter((w) => given[w] !== undefined && chosen(w)).map((w) => [w, given[w]]));
}

/** The flag of an API option (`trainLength` -> `--train-length`), if the option is a vocabulary word with one. */
function flagOfOption(name: string): string | undefined {
  return Object.hasOwn(vocabulary, name) ? vocabulary[name as WordName].flag : undefined;
}

/**
 * An API's ValidationError in the command line's words: each option named becomes its flag (`window 'sliding' needs
 * trainLength` -> `--window 'sliding' needs --train-length`), so a rule the schema enforces speaks on the command line
 * without a second copy of it here. A usage error (exit 2); errors of options without a flag pass unchanged.
 */
export function asFlagError(e: unknown): unknown {
  if (!(e instanceof ValidationError)) return e;
  const flags = e.issues.map((issue) => flagOfOption(issue.path.split('.').pop() ?? ''));
  if (flags.some((flag) => flag === undefined)) return e;
  // Option names: camelCase words, and plain words followed by a quoted value (window 'sliding').
  const names = /\b[a-z]+[A-Z][A-Za-z]*\b|\b[a-z]+(?= ')/g;
  const said = e.issues.map((issue, k) => {
    const message = issue.message.replace(names, (name) => flagOfOption(name) ?? name);
    return message.includes(flags[k]!) ? message : `${flags[k]}: ${message}`;
  });
  return new UsageError(said.join('; '));
}

/** Awaits an API call, its ValidationError said in flags ({@link asFlagError}). */
export async function withFlagErrors<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (e) {
    throw asFlagError(e);
  }
}

/** Parses a comma-separated list. */
export function list(value: string): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new InvalidArgumentError('expected a comma-separated list');
  return items;
}

/** The value a word's flag parses to: its schema's output. */
export type FlagValue<N extends WordName> = z.output<(typeof vocabulary)[N]['schema']>;

/**
 * A command's parsed flags, typed from the vocabulary: `Given` always hold a value (a default, or a flag the command
 * requires), `Maybe` only when given.
 */
export type Flags<Given extends WordName, Maybe extends WordName = never> = { [N in Given]: FlagValue<N> } & {
  [N in Maybe]?: FlagValue<N>;
};

/** Where a command's data comes from, and its target column. */
export type SourceOptions = Flags<
  never,
  | 'csv'
  | 'symbol'
  | 'dateColumn'
  | 'dateFormat'
  | 'missing'
  | 'duplicates'
  | 'from'
  | 'to'
  | 'interval'
  | 'adjusted'
  | 'cacheDir'
  | 'target'
>;

/** Adds the data-source options that `forecast` and `backtest` share. */
export function addSourceOptions(command: Command): Command {
  addWords(
    command,
    [
      'csv',
      'symbol',
      'dateColumn',
      'dateFormat',
      'missing',
      'duplicates',
      'from',
      'to',
      'interval',
      'adjusted',
      'target',
    ],
    {
      symbol: 'Yahoo Finance symbol (network; cached)',
      from: 'start date for --symbol',
      to: 'end date for --symbol',
      interval: 'bar size for --symbol',
      adjusted: 'prices adjusted for splits and dividends (--symbol; default true)',
      target: 'target column (default: close, else the only column)',
    },
  );
  command.addOption(new Option('--no-adjusted', 'raw prices for --symbol, not adjusted for splits and dividends'));
  command.addOption(wordOption('cacheDir', 'cache folder for --symbol').default('.stockcast-cache'));
  // Market-data flags with a CSV would be silently ignored: refuse them instead.
  return command.hook('preAction', (cmd) => {
    if (!cmd.opts().csv) return;
    const yahooOnly = ['from', 'to', 'interval', 'adjusted', 'cacheDir'].filter(
      (name) => cmd.getOptionValueSource(name) === 'cli',
    );
    if (yahooOnly.length > 0)
      throw new UsageError(
        `${yahooOnly.map((n) => (n === 'adjusted' && cmd.opts().adjusted === false ? '--no-adjusted' : kebabFlag(n))).join(', ')}: only for market data (--symbol, --symbols), not with --csv`,
      );
  });
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
      ...(o.interval ? { interval: o.interval } : {}),
      ...(o.adjusted !== undefined ? { adjusted: o.adjusted } : {}),
      cacheDir: o.cacheDir ?? '.stockcast-cache',
      ...(o.missing ? { missing: o.missing } : {}),
      ...(signal ? { signal } : {}),
    });
  }
  throw new UsageError('missing data: give --csv FILE or --symbol SYMBOL');
}

/** Picks the target column (the SDK's rule: the one asked for, else close, else the only column); a miss is a usage error naming --target. */
export function pickTarget(series: Series, target: string | undefined): string {
  try {
    return resolveTarget(series.columns, target);
  } catch (e) {
    if (e instanceof DataError)
      throw new UsageError(
        target !== undefined
          ? `--target "${target}" is not a column; the data has ${series.columns.join(', ')}`
          : `--target is required: the data has ${series.columns.join(', ')} and no close column`,
      );
    throw e;
  }
}

/** Whether to draw progress bars: only for people at a terminal. */
export function interactive(json: boolean | undefined): boolean {
  return Boolean(process.stderr.isTTY) && !json && !process.env.CI;
}

/** A progress bar on stderr, or nothing when not interactive. */
export function progressBar(
  enabled: boolean,
  format: string,
): { start(total: number, payload?: object): void; update(value: number, payload?: object): void; stop(): void } {
  if (!enabled) return { start() {}, update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format, stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (total, payload) => bar.start(total, 0, payload),
    update: (value, payload) => bar.update(value, payload),
    stop: () => bar.stop(),
  };
}

/** Formats a duration for ETAs. */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** A number as a table shows it: 4 decimals, 1 from 1000 on, 4 significant digits below 0.01 (daily variances). */
export function tableNumber(v: number): string {
  if (Number.isNaN(v)) return 'n/a';
  if (!Number.isFinite(v) || Number.isInteger(v)) return String(v);
  if (Math.abs(v) >= 1000) return v.toFixed(1);
  return Math.abs(v) < 0.01 ? v.toPrecision(4) : v.toFixed(4);
}

/** Prints an aligned text table; NaN (a metric that is undefined there, such as direction with no move) prints n/a. */
export function printTable(columns: string[], rows: Array<Array<string | number>>): void {
  const text = rows.map((r) => r.map((v) => (typeof v !== 'number' ? v : tableNumber(v))));
  const widths = columns.map((c, i) => Math.max(c.length, ...text.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(columns));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of text) console.log(line(r));
}

/** Writes a JSON document to stdout (numbers that are not finite become null, as JSON requires). */
export function printJson(value: unknown): void {
  process.stdout.write(
    `${JSON.stringify(
      value,
      (_, v) =>
        typeof v === 'number' && !Number.isFinite(v)
          ? null
          : v instanceof Float64Array || v instanceof Float32Array
            ? Array.from(v)
            : v,
      2,
    )}\n`,
  );
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
