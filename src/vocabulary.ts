/**
 * The SDK's vocabulary: one word, one meaning, one default and one CLI flag per idea. Option schemas, CLI flags,
 * the glossary (docs/glossary.md) and the test that keeps them from drifting all read this one list.
 */
import { z } from 'zod';

/** Which part of the SDK an idea belongs to, for the glossary's sections. */
export type WordGroup = 'model' | 'training' | 'data' | 'backtest' | 'sweep' | 'output';

/** One idea of the vocabulary. */
export interface Word<S extends z.ZodType = z.ZodType> {
  /** The API option (camelCase), or undefined for an idea that exists only on the command line. */
  readonly option: string | undefined;
  /** The CLI flag: `--` and the kebab case of the option. */
  readonly flag: string | undefined;
  /** The glossary section. */
  readonly group: WordGroup;
  /** What it means, in one line. */
  readonly meaning: string;
  /** The accepted values (without the default). */
  readonly schema: S;
  /** The one default, where the idea has a fixed one. */
  readonly default: z.output<S> | undefined;
  /** How the default reads in the glossary (a rule such as "the `close` column"), when it is not a plain value. */
  readonly defaultText: string | undefined;
  /** The accepted range, as error messages and the glossary say it. */
  readonly expects: string;
  /** Old spellings accepted for one release, with a one-line notice. */
  readonly deprecated: { readonly option?: string; readonly flag?: string }[];
  /** Another spelling accepted for good where users bring it from elsewhere (PyTorch's constructor arguments). */
  readonly alias: string | undefined;
  /** The option with its default applied, for an options schema. */
  withDefault(): z.ZodDefault<S>;
  /** The option as optional (no default, or a default that depends on the data). */
  optional(): z.ZodOptional<S>;
}

interface WordInit<S extends z.ZodType> {
  option?: string;
  group: WordGroup;
  meaning: string;
  schema: S;
  default?: z.output<S>;
  defaultText?: string;
  expects: string;
  /** A CLI flag other than the kebab case of the option (CLI-only ideas). */
  flag?: string | null;
  deprecated?: { option?: string; flag?: string }[];
  alias?: string;
}

/** `learningRate` -> `--learning-rate`. */
export function kebabFlag(option: string): string {
  return `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function word<S extends z.ZodType>(init: WordInit<S>): Word<S> {
  const flag = init.flag === null ? undefined : (init.flag ?? (init.option ? kebabFlag(init.option) : undefined));
  return {
    option: init.option,
    flag,
    group: init.group,
    meaning: init.meaning,
    schema: init.schema,
    default: init.default,
    defaultText: init.defaultText,
    expects: init.expects,
    deprecated: init.deprecated ?? [],
    alias: init.alias,
    withDefault() {
      if (init.default === undefined) throw new Error(`vocabulary: ${init.option} has no default`);
      return init.schema.default(init.default as never) as z.ZodDefault<S>;
    },
    optional: () => init.schema.optional(),
  };
}

/**
 * Every recurrent cell, in one table: its gates (stacked in W_ih in PyTorch's order) and what its registered model
 * is. A new cell is a row here and its kernels.
 */
export const CELL_TABLE = {
  rnn: { gates: 1, model: "the lecture's tanh recurrent network" },
  lstm: { gates: 4, model: 'an LSTM network' },
  gru: { gates: 3, model: 'a GRU network' },
} as const;

/** Every recurrent cell, in one list (the C and WGSL kernels number them in this order). */
export const CELLS = Object.keys(CELL_TABLE) as [keyof typeof CELL_TABLE, ...Array<keyof typeof CELL_TABLE>];

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const fn = <T>() => z.custom<T>((v) => typeof v === 'function', 'expected a function');

/** A URL as a string or a URL object (typed by its `href`, so the declarations need neither DOM nor Node types). */
const urlLike = z.union([
  z.string().min(1),
  z.custom<{
    /** The URL as text. */
    readonly href: string;
  }>((v) => typeof URL === 'function' && v instanceof URL, 'expected a URL'),
]);

/** Every idea of the SDK, keyed by its API option (or its flag's name for CLI-only ideas). */
export const vocabulary = {
  // The network.
  cell: word({
    option: 'cell',
    group: 'model',
    meaning: "recurrent cell: the lecture's tanh `rnn`, `lstm` or PyTorch-style `gru`",
    schema: z.enum(CELLS),
    default: 'lstm',
    expects: `one of ${CELLS.join(', ')}`,
  }),
  units: word({
    option: 'units',
    group: 'model',
    meaning: "hidden units per recurrent layer (PyTorch's `hidden_size`)",
    schema: int(1, 4096),
    default: 32,
    expects: 'an integer from 1 to 4096',
    alias: 'hidden_size',
    deprecated: [{ flag: '--hidden' }],
  }),
  layers: word({
    option: 'layers',
    group: 'model',
    meaning: "stacked recurrent layers (PyTorch's `num_layers`)",
    schema: int(1, 16),
    default: 1,
    expects: 'an integer from 1 to 16',
    alias: 'num_layers',
  }),
  dropout: word({
    option: 'dropout',
    group: 'model',
    meaning: 'dropout between stacked layers while training',
    schema: z.number().min(0).lt(1),
    default: 0,
    expects: 'a number from 0 up to (not including) 1',
  }),
  inputSize: word({
    option: 'inputSize',
    group: 'model',
    meaning: "features per time step of an imported network (PyTorch's `input_size`)",
    schema: int(1, 65536),
    expects: 'an integer from 1 to 65536',
    alias: 'input_size',
    flag: null,
  }),
  lookback: word({
    option: 'lookback',
    group: 'model',
    meaning: 'rows (or characters) each window reads: the sequence length',
    schema: int(1, 100000),
    default: 30,
    defaultText: '30 (character models: at most the text length minus one)',
    expects: 'an integer from 1 to 100000',
    deprecated: [{ flag: '--seq-len' }],
  }),
  horizon: word({
    option: 'horizon',
    group: 'model',
    meaning: 'future steps forecast at once from each window',
    schema: int(1, 10000),
    default: 1,
    expects: 'an integer from 1 to 10000',
  }),
  target: word({
    option: 'target',
    group: 'model',
    meaning: 'the column forecast',
    schema: z.string().min(1),
    defaultText: 'the `close` column (close, Close, Adj Close, adjclose), else the only column',
    expects: 'a column name',
  }),
  features: word({
    option: 'features',
    group: 'model',
    meaning: 'input columns of each window',
    schema: z.array(z.string().min(1)).min(1),
    defaultText: 'the target alone',
    expects: 'a non-empty list of column names',
  }),
  scaler: word({
    option: 'scaler',
    group: 'model',
    meaning: 'scaler fitted on the training rows before windowing',
    schema: z.enum(['minmax', 'standard', 'robust', 'none']),
    default: 'none',
    expects: 'one of minmax, standard, robust, none',
  }),
  windowNorm: word({
    option: 'windowNorm',
    group: 'model',
    meaning: 'per-window normalization: `last` makes a window relative to its last value, `zscore` to its mean and std',
    schema: z.enum(['none', 'last', 'zscore']),
    default: 'last',
    defaultText: "`last`; `none` when a `scaler` or `loss: 'qlike'` is given (the option given wins)",
    expects: 'one of none, last, zscore',
  }),
  engine: word({
    option: 'engine',
    group: 'model',
    meaning:
      'what trains and runs the network: `fused` CPU kernels, `webgpu` (a GPU through WebGPU), `tfjs`, or `auto` (a fixed rule: `webgpu` for large models and batches on a hardware GPU, else the fastest CPU engine)',
    schema: z.enum(['auto', 'tfjs', 'fused', 'webgpu']),
    default: 'auto',
    expects: 'one of auto, tfjs, fused, webgpu',
  }),
  threads: word({
    option: 'threads',
    group: 'model',
    meaning:
      'threads for one training run (fused engine; the webgpu engine records its commands on one thread); results do not depend on it',
    schema: z.union([z.literal('auto'), int(1, 1024)]),
    default: 'auto',
    expects: "'auto' or an integer from 1 to 1024",
  }),
  vocab: word({
    option: 'vocab',
    group: 'model',
    meaning: "a character model's fixed vocabulary",
    schema: z.custom<object>((v) => typeof v === 'object' && v !== null, 'expected a CharVocab'),
    defaultText: "the training text's sorted characters",
    expects: 'a CharVocab',
    flag: null,
  }),
  // Training.
  epochs: word({
    option: 'epochs',
    group: 'training',
    meaning: 'passes over the training windows',
    schema: int(1, 1000000),
    default: 50,
    expects: 'an integer from 1 to 1000000',
  }),
  batchSize: word({
    option: 'batchSize',
    group: 'training',
    meaning: 'windows per training step',
    schema: int(1, 1000000),
    default: 32,
    expects: 'an integer from 1 to 1000000',
  }),
  learningRate: word({
    option: 'learningRate',
    group: 'training',
    meaning: "the optimizer's step size",
    schema: z.number().gt(0).max(10),
    default: 0.001,
    expects: 'a number above 0, at most 10',
    deprecated: [{ flag: '--lr' }],
  }),
  optimizer: word({
    option: 'optimizer',
    group: 'training',
    meaning: 'the optimizer',
    schema: z.enum(['adam', 'sgd', 'rmsprop']),
    default: 'adam',
    expects: 'one of adam, sgd, rmsprop',
  }),
  schedule: word({
    option: 'schedule',
    group: 'training',
    meaning: 'learning-rate schedule over the epochs: `constant` or `cosine` decay to 1%',
    schema: z.enum(['constant', 'cosine']),
    default: 'constant',
    expects: 'one of constant, cosine',
  }),
  clipNorm: word({
    option: 'clipNorm',
    group: 'training',
    meaning: 'clip the global gradient norm to this value',
    schema: z.number().gt(0).max(1e6),
    defaultText: 'off',
    expects: 'a number above 0',
  }),
  seed: word({
    option: 'seed',
    group: 'training',
    meaning: 'seeds initialization, shuffling, dropout and sampling: the same seed gives the same numbers',
    schema: z.number().int().min(0).max(4294967295),
    default: 42,
    expects: 'an integer from 0 to 4294967295',
  }),
  seeds: word({
    option: 'seeds',
    group: 'training',
    meaning:
      'a seed ensemble: train this many networks from seeds seed, seed+1, ... and forecast their mean ' +
      '(recorded in `training.seeds`)',
    schema: z.number().int().min(1).max(64),
    default: 1,
    defaultText: '1; 3 for a recurrent model on a volatility target (the volatility defaults)',
    expects: 'an integer from 1 to 64',
  }),
  validation: word({
    option: 'validation',
    group: 'training',
    meaning:
      'validation data: the last fraction of the rows (of the dates on a panel; 0: none), or (API) a later ' +
      'Series; it selects the epoch, checks the model against naive and calibrates intervals',
    schema: z.number().min(0).lt(1),
    default: 0.2,
    defaultText: '0.2 of the rows given to a forecaster; `chronologicalSplit` makes a validation part only when asked',
    expects: 'a fraction from 0 (none) up to 1',
  }),
  earlyStopping: word({
    option: 'earlyStopping',
    group: 'training',
    meaning:
      'keep the epoch (or the untrained start) that does best on validation, and stop when it stops improving; `false` trains every epoch',
    schema: z.union([z.literal(false), z.object({}).passthrough()]),
    default: { patience: 5, minDelta: 0, restoreBest: true },
    expects: 'false or { patience, minDelta, restoreBest }',
    flag: null,
  }),
  finalFit: word({
    option: 'finalFit',
    group: 'training',
    meaning:
      'after validation chose the epoch, retrain from the seed on the training and validation rows for that many epochs (`all`), or keep the model trained on the training rows (`training`)',
    schema: z.enum(['all', 'training']),
    default: 'all',
    expects: 'one of all, training',
  }),
  patience: word({
    option: 'patience',
    group: 'training',
    meaning: 'early stopping: epochs without improvement before stopping',
    schema: int(1, 100000),
    default: 5,
    expects: 'an integer from 1 to 100000',
    flag: null,
  }),
  minDelta: word({
    option: 'minDelta',
    group: 'training',
    meaning: 'early stopping: the smallest decrease that counts as an improvement',
    schema: z.number().min(0),
    default: 0,
    expects: 'a number >= 0',
    flag: null,
  }),
  restoreBest: word({
    option: 'restoreBest',
    group: 'training',
    meaning: "early stopping: end with the best epoch's weights",
    schema: z.boolean(),
    default: true,
    expects: 'true or false',
    flag: null,
  }),
  coverage: word({
    option: 'coverage',
    group: 'output',
    meaning: 'coverage of prediction intervals, e.g. 0.9 for 90% intervals',
    schema: z.number().gt(0).lt(1),
    defaultText: 'off',
    expects: 'a number between 0 and 1',
    deprecated: [{ option: 'interval' }],
  }),
  onEpochEnd: word({
    option: 'onEpochEnd',
    group: 'training',
    meaning: 'called after every epoch (progress bars); training waits for a returned promise',
    schema: fn<(info: never) => unknown>(),
    expects: 'a function',
    flag: null,
  }),
  signal: word({
    option: 'signal',
    group: 'training',
    meaning: 'an AbortSignal that stops training between epochs (Ctrl-C)',
    schema: z.custom<AbortSignal>((v) => v instanceof AbortSignal, 'expected an AbortSignal'),
    expects: 'an AbortSignal',
    flag: null,
  }),
  // Data.
  csv: word({
    group: 'data',
    meaning: 'price history CSV file',
    schema: z.string().min(1),
    expects: 'a file path',
    flag: '--csv',
  }),
  symbol: word({
    option: 'symbol',
    group: 'data',
    meaning: 'ticker symbol (Yahoo Finance symbol on the CLI; recorded in the series metadata)',
    schema: z.string().min(1),
    expects: 'a ticker symbol',
  }),
  interval: word({
    option: 'interval',
    group: 'data',
    meaning: "bar size of market data (Yahoo's word): 1d, 1wk, 1mo, 1h, ...",
    schema: z.enum(['1m', '2m', '5m', '15m', '30m', '60m', '90m', '1h', '1d', '5d', '1wk', '1mo', '3mo']),
    default: '1d',
    expects: 'one of 1m, 2m, 5m, 15m, 30m, 60m, 90m, 1h, 1d, 5d, 1wk, 1mo, 3mo',
  }),
  from: word({
    option: 'from',
    group: 'data',
    meaning: 'first date of market data',
    schema: z.string().min(1),
    defaultText: 'all history',
    expects: 'a date',
  }),
  to: word({
    option: 'to',
    group: 'data',
    meaning: 'last date of market data',
    schema: z.string().min(1),
    defaultText: 'now',
    expects: 'a date',
  }),
  adjusted: word({
    option: 'adjusted',
    group: 'data',
    meaning: 'prices adjusted for splits and dividends (`--no-adjusted` for raw prices)',
    schema: z.boolean(),
    default: true,
    expects: 'true or false',
  }),
  cacheDir: word({
    option: 'cacheDir',
    group: 'data',
    meaning: "folder for cached market data (and a queue worker's copies of its jobs' input data)",
    schema: z.string().min(1),
    defaultText: 'none in the API; `.stockcast-cache` on the CLI',
    expects: 'a folder path',
  }),
  retries: word({
    option: 'retries',
    group: 'data',
    meaning: 'retries of a failed market-data request (429, 5xx, network)',
    schema: int(0, 20),
    default: 3,
    expects: 'an integer from 0 to 20',
    flag: null,
  }),
  retryDelayMs: word({
    option: 'retryDelayMs',
    group: 'data',
    meaning: 'first retry delay in ms (doubles, with jitter)',
    schema: int(0, 600000),
    default: 500,
    expects: 'an integer from 0 to 600000',
    flag: null,
  }),
  timeoutMs: word({
    option: 'timeoutMs',
    group: 'data',
    meaning: 'timeout of one market-data request in ms',
    schema: int(1, 3600000),
    default: 30000,
    expects: 'an integer from 1 to 3600000',
    flag: null,
  }),
  fetch: word({
    option: 'fetch',
    group: 'data',
    meaning: 'the fetch function market-data requests use',
    schema: fn<typeof globalThis.fetch>(),
    defaultText: 'the global fetch',
    expects: 'a function',
    flag: null,
  }),
  dateColumn: word({
    option: 'dateColumn',
    group: 'data',
    meaning: 'the date column of a CSV or DataFrame',
    schema: z.string().min(1),
    defaultText: 'detected (date, Date, timestamp, ...)',
    expects: 'a column name',
  }),
  dateFormat: word({
    option: 'dateFormat',
    group: 'data',
    meaning: 'date format: iso, epoch-s, epoch-ms, a date-fns pattern like yyyy.M.d, or auto',
    schema: z.string().min(1),
    default: 'auto',
    expects: 'auto, iso, epoch-s, epoch-ms or a date-fns format',
  }),
  columns: word({
    option: 'columns',
    group: 'data',
    meaning: 'value columns to keep',
    schema: z.array(z.string().min(1)).min(1),
    defaultText: 'every numeric column',
    expects: 'a non-empty list of column names',
    flag: null,
  }),
  missing: word({
    option: 'missing',
    group: 'data',
    meaning: 'what to do with missing values: error, drop the row, forward-fill, or interpolate',
    schema: z.enum(['error', 'drop', 'ffill', 'interpolate']),
    default: 'error',
    expects: 'one of error, drop, ffill, interpolate',
  }),
  duplicates: word({
    option: 'duplicates',
    group: 'data',
    meaning: 'what to do with repeated dates: error, or keep the first or last',
    schema: z.enum(['error', 'first', 'last']),
    default: 'error',
    expects: 'one of error, first, last',
  }),
  delimiter: word({
    option: 'delimiter',
    group: 'data',
    meaning: 'CSV field delimiter',
    schema: z.string().length(1),
    default: ',',
    expects: 'one character',
    flag: null,
  }),
  naValues: word({
    option: 'naValues',
    group: 'data',
    meaning:
      "CSV cells that mean a missing value (matched after trimming spaces; the default is pandas' default " +
      '`na_values`)',
    schema: z.array(z.string()),
    default: [
      '',
      '#N/A',
      '#N/A N/A',
      '#NA',
      '-1.#IND',
      '-1.#QNAN',
      '-NaN',
      '-nan',
      '1.#IND',
      '1.#QNAN',
      '<NA>',
      'N/A',
      'NA',
      'NULL',
      'NaN',
      'None',
      'n/a',
      'nan',
      'null',
    ],
    defaultText:
      "pandas' default `na_values`: '', #N/A, #N/A N/A, #NA, -1.#IND, -1.#QNAN, -NaN, -nan, 1.#IND, 1.#QNAN, <NA>, N/A, NA, NULL, NaN, None, n/a, nan, null",
    expects: 'a list of strings',
    flag: null,
  }),
  // Panels and calendars.
  symbolColumn: word({
    option: 'symbolColumn',
    group: 'data',
    meaning: 'the symbol column of a long panel CSV or DataFrame (`symbol,date,open,...`)',
    schema: z.string().min(1),
    defaultText: 'detected (symbol, ticker)',
    expects: 'a column name',
  }),
  symbols: word({
    option: 'symbols',
    group: 'data',
    meaning: 'several symbols: the symbols of a panel to keep, or to download from Yahoo Finance',
    schema: z.array(z.string().min(1)).min(1),
    defaultText: 'every symbol in the data',
    expects: 'a non-empty list of symbols',
  }),
  wide: word({
    option: 'wide',
    group: 'data',
    meaning: "a wide panel CSV: every column but the date is one symbol's values (`date,AAPL,MSFT,...`)",
    schema: z.boolean(),
    default: false,
    expects: 'true or false',
  }),
  valueColumn: word({
    option: 'valueColumn',
    group: 'data',
    meaning: "a wide panel CSV: the column name each symbol's values get (the CLI's --target names it)",
    schema: z.string().min(1),
    default: 'close',
    defaultText: 'close',
    expects: 'a column name',
    flag: null,
  }),
  calendar: word({
    option: 'calendar',
    group: 'data',
    meaning: 'exchange calendar: trading days and holidays (a built-in name such as `nyse`, or an ExchangeCalendar)',
    schema: z.union([
      z.string().min(1),
      z.custom<object>(
        (c) => typeof c === 'object' && c !== null && 'isTradingDay' in c,
        'expected a calendar name or an ExchangeCalendar',
      ),
    ]),
    defaultText: 'none: business days, Monday to Friday',
    expects: 'a calendar name (nyse, nasdaq) or an ExchangeCalendar',
  }),
  calendarFeatures: word({
    option: 'calendarFeatures',
    group: 'model',
    meaning:
      'future-known calendar covariates read for every forecast step: dayOfWeek, month, dayOfMonth, tradingDaysToMonthEnd, tradingDaysToQuarterEnd, beforeHoliday, afterHoliday, earlyClose',
    schema: z.array(
      z.enum([
        'dayOfWeek',
        'month',
        'dayOfMonth',
        'tradingDaysToMonthEnd',
        'tradingDaysToQuarterEnd',
        'beforeHoliday',
        'afterHoliday',
        'earlyClose',
      ]),
    ),
    defaultText: 'none',
    expects: 'a list of calendar feature names',
  }),
  knownColumns: word({
    option: 'knownColumns',
    group: 'model',
    meaning:
      'columns whose values the user knows ahead (a scheduled event, a planned price change): read for every forecast step, as given (not scaled); predict then needs their next horizon values per symbol',
    schema: z.array(z.string().min(1)).min(1),
    defaultText: 'none',
    expects: 'a list of column names',
    flag: null,
  }),
  statics: word({
    option: 'statics',
    group: 'model',
    meaning:
      'static covariates per symbol: numbers, or categories as strings (e.g. a sector, one-hot encoded over the categories given), the same length for every symbol',
    schema: z.record(z.string(), z.array(z.union([z.number(), z.string().min(1)]))),
    defaultText: 'none',
    expects: 'an object of symbol -> list of numbers or category strings',
    flag: null,
  }),
  symbolEmbedding: word({
    option: 'symbolEmbedding',
    group: 'model',
    meaning:
      'a global model learns one input vector per training symbol (a one-hot embedding); it cannot predict symbols it was not trained on',
    schema: z.boolean(),
    default: false,
    expects: 'true or false',
  }),
  // Windows, splits and backtests.
  step: word({
    option: 'step',
    group: 'backtest',
    meaning: 'rows between consecutive windows or forecast origins',
    schema: int(1, 1000000),
    defaultText: '1 between training windows; the horizon between backtest origins (so forecasts tile the test span)',
    expects: 'an integer from 1 to 1000000',
  }),
  start: word({
    option: 'start',
    group: 'backtest',
    meaning: 'the first target row (window) or forecast origin (backtest)',
    schema: int(0, 1e9),
    defaultText: 'the first possible; backtests: n - testSize',
    expects: 'a row index',
    flag: null,
  }),
  end: word({
    option: 'end',
    group: 'backtest',
    meaning: 'windows: targets lie before this row',
    schema: int(0, 1e9),
    defaultText: 'the series length',
    expects: 'a row index',
    flag: null,
  }),
  train: word({
    option: 'train',
    group: 'backtest',
    meaning: 'chronological split: the training part (fraction, row count or last date)',
    schema: z.unknown(),
    expects: 'a fraction, a count or a date',
    flag: null,
  }),
  test: word({
    option: 'test',
    group: 'backtest',
    meaning: 'chronological split: the test part (fraction, row count or last date)',
    schema: z.unknown(),
    defaultText: 'the remaining rows',
    expects: 'a fraction, a count or a date',
    flag: null,
  }),
  testSize: word({
    option: 'testSize',
    group: 'backtest',
    meaning: 'rows at the end that a backtest forecasts',
    schema: int(1, 1e9),
    defaultText: '20% of the rows (at least the horizon)',
    expects: 'a positive integer',
  }),
  window: word({
    option: 'window',
    group: 'backtest',
    meaning:
      'training window of a backtest: `expanding` (all rows before the origin) or `sliding` (the last trainLength rows)',
    schema: z.enum(['expanding', 'sliding']),
    default: 'expanding',
    expects: 'one of expanding, sliding',
  }),
  trainLength: word({
    option: 'trainLength',
    group: 'backtest',
    meaning: 'rows in a sliding training window',
    schema: int(1, 1e9),
    expects: 'a positive integer',
  }),
  refit: word({
    option: 'refit',
    group: 'backtest',
    meaning: 'fit a fresh model at `every` origin, `once`, or every k origins',
    schema: z.union([z.enum(['every', 'once']), int(1, 1e9)]),
    default: 'every',
    expects: 'every, once, or a positive integer',
  }),
  concurrency: word({
    option: 'concurrency',
    group: 'backtest',
    meaning: "folds (or trials, jobs) run in parallel; `auto` uses the machine's cores; results do not depend on it",
    schema: z.union([z.literal('auto'), int(1, 1024)]),
    default: 'auto',
    expects: "'auto' or an integer from 1 to 1024",
  }),
  forecaster: word({
    option: 'forecaster',
    group: 'backtest',
    meaning: 'forecaster options for the recurrent models of a backtest',
    schema: z.record(z.string(), z.unknown()),
    defaultText: "the forecaster's defaults",
    expects: 'forecaster options',
    flag: null,
  }),
  onFold: word({
    option: 'onFold',
    group: 'backtest',
    meaning: 'called after each backtest fold (progress bars)',
    schema: fn<(info: never) => unknown>(),
    expects: 'a function',
    flag: null,
  }),
  rankBy: word({
    option: 'rankBy',
    group: 'backtest',
    meaning: 'the metric that ranks compared models (`qlike` and `mseLog`: volatility and variance targets only)',
    schema: z.enum(['mae', 'rmse', 'mape', 'smape', 'mase', 'directionalAccuracy', 'qlike', 'mseLog']),
    default: 'rmse',
    expects: 'one of mae, rmse, mape, smape, mase, directionalAccuracy, qlike, mseLog',
  }),
  models: word({
    group: 'backtest',
    meaning:
      'models to backtest: registered model specs (naive, drift, mean, seasonal:M, ma:K, ewma, har, garch, garch-t, rnn, lstm, gru, har-log, har-j, shar, harq, and any name given to registerModel; `stockcast info` lists them)',
    schema: z.array(z.string().min(1)).min(1),
    default: ['naive', 'drift'],
    expects: 'a comma-separated list of model specs',
    flag: '--models',
  }),
  strategy: word({
    option: 'strategy',
    group: 'backtest',
    meaning: 'trading rule simulated on one-step forecasts: `long-flat` or `long-short` (a simulation, not advice)',
    schema: z.enum(['long-flat', 'long-short']),
    default: 'long-flat',
    expects: 'one of long-flat, long-short',
  }),
  costBps: word({
    option: 'costBps',
    group: 'backtest',
    meaning: 'trading cost per unit of position change, in basis points',
    schema: z.number().min(0).max(10000),
    default: 5,
    expects: 'a number from 0 to 10000',
  }),
  periodsPerYear: word({
    option: 'periodsPerYear',
    group: 'backtest',
    meaning: 'periods per year for annualizing',
    schema: z.number().gt(0).max(1e6),
    defaultText: 'from the frequency: 252 daily, 52 weekly, 12 monthly',
    expects: 'a number above 0',
  }),
  // Telling skill from luck (issue 25): Sharpe ratio uncertainty, forecast tests, bootstraps, random baselines,
  // ranking.
  benchmark: word({
    option: 'benchmark',
    group: 'backtest',
    meaning:
      'what a result is tested against: a per-period Sharpe ratio in `probabilisticSharpe` (and the ' +
      'strategy simulation); in comparisons (`compareModels`, panels, `backtest`), the model every other model is ' +
      'tested against by Diebold-Mariano, Reality Check and SPA (added to the comparison when not listed)',
    schema: z.union([z.number(), z.string().min(1)]),
    default: 0,
    defaultText:
      '0 for a Sharpe ratio; in comparisons `garch` for targets derived from daily prices (`targetTransform`), ' +
      '`har` for realized measures, `naive` otherwise',
    expects: 'a number (Sharpe ratio) or a model spec',
  }),
  testLoss: word({
    option: 'testLoss',
    group: 'backtest',
    meaning:
      'the loss the Diebold-Mariano tests of a comparison compare: `mse` (squared error) or `qlike` ' +
      '(s2/h - ln(s2/h) - 1, volatility and variance targets only, volatilities squared first); verdicts always ' +
      'come from squared error',
    schema: z.enum(['mse', 'qlike']),
    default: 'mse',
    expects: 'one of mse, qlike',
  }),
  sharpeError: word({
    option: 'sharpeError',
    group: 'backtest',
    meaning:
      'standard error of a Sharpe ratio: `non-normal` (Mertens 2002, Opdyke 2007: skewness and kurtosis) ' +
      "or `autocorrelated` (Lo 2002's GMM form with a Newey-West long-run covariance)",
    schema: z.enum(['non-normal', 'autocorrelated']),
    default: 'non-normal',
    expects: 'one of non-normal, autocorrelated',
  }),
  lags: word({
    option: 'lags',
    group: 'backtest',
    meaning: 'autocorrelation lags of a Newey-West long-run covariance (Bartlett weights)',
    schema: int(0, 100000),
    defaultText: 'floor(4 (T/100)^(2/9)), as statsmodels',
    expects: 'an integer from 0 to 100000',
  }),
  trialSharpeVariance: word({
    option: 'trialSharpeVariance',
    group: 'backtest',
    meaning:
      'the variance of the per-period Sharpe ratios of all the trials a strategy was chosen among ' +
      '(deflated Sharpe ratio)',
    schema: z.number().min(0),
    defaultText: 'none: no deflated Sharpe ratio',
    expects: 'a number >= 0',
  }),
  power: word({
    option: 'power',
    group: 'backtest',
    meaning: 'the Diebold-Mariano loss |error|^power: 2 squared error, 1 absolute error',
    schema: z.number().gt(0).max(10),
    default: 2,
    expects: 'a number above 0, at most 10',
  }),
  blockLength: word({
    option: 'blockLength',
    group: 'backtest',
    meaning:
      'mean block length of the stationary bootstrap (Politis and Romano 1994) behind the Reality Check ' +
      'and SPA tests',
    schema: z.number().min(1),
    defaultText: 'the cube root of the number of periods, rounded (at least 1)',
    expects: 'a number >= 1',
  }),
  resamples: word({
    option: 'resamples',
    group: 'backtest',
    meaning: 'bootstrap resamples of the Reality Check and SPA tests',
    schema: int(1, 1000000),
    default: 1000,
    expects: 'an integer from 1 to 1000000',
  }),
  randomBaselines: word({
    option: 'randomBaselines',
    group: 'backtest',
    meaning:
      'seeded random signals (strategy) or random portfolios (rank forecast) with the same exposure and ' +
      "turnover, that the result's Sharpe or information ratio is ranked among (0: none)",
    schema: int(0, 1000000),
    default: 1000,
    expects: 'an integer from 0 to 1000000',
  }),
  rankForecast: word({
    option: 'rankForecast',
    group: 'backtest',
    meaning:
      "panels: forecast each symbol's return quintile for the next period (M6 style), scored by the ranked " +
      'probability score, with a rank-based long-short portfolio',
    schema: z.enum(['quintiles']),
    defaultText: 'off',
    expects: 'quintiles',
  }),
  draws: word({
    option: 'draws',
    group: 'backtest',
    meaning: 'Monte Carlo draws of the joint returns that give the quintile probabilities of a rank forecast',
    schema: int(1, 1000000),
    default: 1000,
    expects: 'an integer from 1 to 1000000',
  }),
  // Volatility targets, econometric models and probabilistic forecasts (issue 15).
  targetTransform: word({
    option: 'targetTransform',
    group: 'backtest',
    meaning:
      'derive the backtest target: realized volatility `rv:K`, `parkinson:K`, `gk:K`, `yz:K` (annualized %, ' +
      'from daily prices; not the `rv` column of `realizedMeasures`, a daily variance), or `logret` ' +
      '(percent log returns)',
    schema: z.string().min(1),
    defaultText: 'none (the target column as it is)',
    expects: 'rv:K, parkinson:K, gk:K, yz:K or logret',
  }),
  quantiles: word({
    option: 'quantiles',
    group: 'output',
    meaning: 'quantile levels forecast at once (pinball loss; outputs never cross)',
    schema: z.array(z.number().gt(0).lt(1)).min(1),
    defaultText: 'off',
    expects: 'increasing numbers between 0 and 1',
  }),
  calibration: word({
    option: 'calibration',
    group: 'output',
    meaning:
      'the last fraction of the training rows (of the dates on a panel, pooled across symbols) held out to ' +
      'calibrate quantiles (CQR), disjoint from validation',
    schema: z.number().gt(0).lt(1),
    defaultText: 'off',
    expects: 'a fraction between 0 and 1',
  }),
  estimator: word({
    option: 'estimator',
    group: 'data',
    meaning: 'realized-volatility estimator: close-to-close, parkinson, garman-klass or yang-zhang',
    schema: z.enum(['close-to-close', 'parkinson', 'garman-klass', 'yang-zhang']),
    default: 'close-to-close',
    expects: 'one of close-to-close, parkinson, garman-klass, yang-zhang',
    flag: null,
  }),
  span: word({
    option: 'span',
    group: 'data',
    meaning: 'periods a volatility estimator (or historical VaR) averages over',
    schema: int(1, 100000),
    default: 5,
    expects: 'an integer from 1 to 100000',
    flag: null,
  }),
  align: word({
    option: 'align',
    group: 'data',
    meaning:
      'volatility at row t over the span ending at t (`trailing`, a feature) or the next span (`forward`, a target)',
    schema: z.enum(['trailing', 'forward']),
    default: 'trailing',
    expects: 'one of trailing, forward',
    flag: null,
  }),
  prices: word({
    option: 'prices',
    group: 'data',
    meaning: 'names of the open, high, low and close columns (a range-based target finds them in any case)',
    schema: z
      .object({
        /** The opening price column. */
        open: z.string().min(1),
        /** The high column. */
        high: z.string().min(1),
        /** The low column. */
        low: z.string().min(1),
        /** The closing price column. */
        close: z.string().min(1),
      })
      .partial()
      .strict(),
    defaultText: 'open, high, low, close (backtests: in any case, the close being the target)',
    expects: 'column names by price, e.g. high=High,low=Low',
  }),
  name: word({
    option: 'name',
    group: 'data',
    meaning: 'the name of the column a transform adds',
    schema: z.string().min(1),
    defaultText: 'from the transform (e.g. rv5)',
    expects: 'a column name',
    flag: null,
  }),
  distribution: word({
    option: 'distribution',
    group: 'model',
    meaning: 'GARCH innovations: `normal` or unit-variance `student-t`',
    schema: z.enum(['normal', 'student-t']),
    default: 'normal',
    expects: 'one of normal, student-t',
    flag: null,
  }),
  mean: word({
    option: 'mean',
    group: 'model',
    meaning: 'GARCH mean of returns: `zero` or a fitted `constant`',
    schema: z.enum(['zero', 'constant']),
    default: 'zero',
    expects: 'one of zero, constant',
    flag: null,
  }),
  conditioning: word({
    option: 'conditioning',
    group: 'model',
    meaning:
      "how the GARCH recursion starts: `presample` (fGarch's, all returns scored) or `first-observation` (tseries')",
    schema: z.enum(['presample', 'first-observation']),
    default: 'presample',
    expects: 'one of presample, first-observation',
    flag: null,
  }),
  lambda: word({
    option: 'lambda',
    group: 'model',
    meaning: 'EWMA (RiskMetrics) decay',
    schema: z.number().gt(0).lt(1),
    default: 0.94,
    expects: 'a number between 0 and 1',
    flag: null,
  }),
  warmup: word({
    option: 'warmup',
    group: 'model',
    meaning: 'returns whose mean square starts the EWMA recursion',
    schema: int(1, 1000000),
    default: 22,
    expects: 'an integer from 1 to 1000000',
    flag: null,
  }),
  spans: word({
    option: 'spans',
    group: 'model',
    meaning: "HAR's daily, weekly and monthly averaging spans",
    schema: z.tuple([int(1, 100000), int(1, 100000), int(1, 100000)]),
    default: [1, 5, 22],
    expects: 'three increasing integers',
    flag: null,
  }),
  // Realized measures from intraday bars, the HAR family and volatility losses (issue 24).
  session: word({
    option: 'session',
    group: 'data',
    meaning:
      'how intraday bars make days: `24h` (fixed days ending at the cut-off, stamped 00:00 UTC of their ' +
      "date, as currencies trade) or `exchange` (the calendar's sessions, with its time zone and early " +
      'closes)',
    schema: z.enum(['24h', 'exchange']),
    defaultText: '`exchange` when a calendar is given, else `24h`',
    expects: 'one of 24h, exchange',
  }),
  cutoff: word({
    option: 'cutoff',
    group: 'data',
    meaning:
      '`24h` days: the local time (in `timezone`) at which one day ends and the next begins; a day carries ' +
      "the date it ends on (17:00 New York puts Sunday evening's trading into Monday)",
    schema: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time as HH:MM'),
    default: '00:00',
    expects: 'a time HH:MM',
  }),
  timezone: word({
    option: 'timezone',
    group: 'data',
    meaning: '`24h` days: the IANA time zone of the cut-off (daylight saving included)',
    schema: z.string().min(1),
    default: 'UTC',
    expects: 'an IANA time zone such as America/New_York',
  }),
  stamp: word({
    option: 'stamp',
    group: 'data',
    meaning: "what an intraday bar's timestamp marks: its `start` (Yahoo and most vendors) or its `end`",
    schema: z.enum(['start', 'end']),
    default: 'start',
    expects: 'one of start, end',
  }),
  minBars: word({
    option: 'minBars',
    group: 'data',
    meaning:
      'drop days with fewer intraday bars than this (partial sessions); by default every day with a bar is ' +
      'kept and its `bars` column says how many it had',
    schema: int(1, 1000000),
    default: 1,
    expects: 'an integer from 1 to 1000000',
  }),
  overnight: word({
    option: 'overnight',
    group: 'data',
    meaning:
      "the return from the previous day's last close to the day's first close in realized measures: " +
      "`exclude`d, `add`ed as the day's first return, or `scale`d in (Hansen and Lunde 2005: every measure " +
      'times the ratio of summed squared close-to-close returns to summed `rv`, over the days up to that ' +
      'day)',
    schema: z.enum(['exclude', 'add', 'scale']),
    default: 'exclude',
    expects: 'one of exclude, add, scale',
  }),
  variant: word({
    option: 'variant',
    group: 'model',
    meaning:
      'the member of the HAR family: `har` (levels), `har-log` (log RV), `har-j` (continuous and jump ' +
      'parts), `shar` (semivariances), `harq` (realized quarticity)',
    schema: z.enum(['har', 'har-log', 'har-j', 'shar', 'harq']),
    default: 'har',
    expects: 'one of har, har-log, har-j, shar, harq',
    flag: null,
  }),
  horizonMean: word({
    option: 'horizonMean',
    group: 'backtest',
    meaning:
      "the target is the mean of the next `horizon` values (HAR's weekly and monthly targets) instead of each " +
      "step's value: `fitHarModel` regresses on it directly; a backtest or forecast averages a model's `horizon` " +
      'step forecasts (for a variance, the forecast of the mean is the mean of the forecasts) and scores the mean',
    schema: z.boolean(),
    default: false,
    expects: 'true or false',
  }),
  loss: word({
    option: 'loss',
    group: 'training',
    meaning:
      'training loss: `mse`, or `qlike` on a target column of log variances (the network forecasts ln h; ' +
      'loss exp(y - ln h) - (y - ln h) - 1 per value)',
    schema: z.enum(['mse', 'qlike']),
    default: 'mse',
    defaultText: '`mse` (on a log target, MSE on logs)',
    expects: 'one of mse, qlike',
  }),
  realized: word({
    option: 'realized',
    group: 'data',
    meaning:
      "a daily realized measure from intraday bars (`realizedMeasures`' columns): `rv` realized variance, " +
      'the sum of squared intraday log returns, a daily variance of decimal returns, not annualized (unlike ' +
      '`rv:K` of `targetTransform`, an annualized volatility in percent); `bv` bipower variation; `jump` ' +
      'max(rv - bv, 0); `rsPos`, `rsNeg` the semivariances of positive and negative returns; `rq` realized ' +
      'quarticity',
    schema: z.enum(['rv', 'bv', 'jump', 'rsPos', 'rsNeg', 'rq']),
    defaultText: 'none',
    expects: 'one of rv, bv, jump, rsPos, rsNeg, rq',
  }),
  targetKind: word({
    option: 'targetKind',
    group: 'backtest',
    meaning:
      'declares a target column a `variance` (e.g. `rv`, a daily variance of decimal log returns) or a ' +
      '`volatility` (squared before `qlike` and `mseLog`): backtests, comparisons, panels, sweeps and forecasters ' +
      'then run the volatility models and metrics on it',
    schema: z.enum(['variance', 'volatility']),
    defaultText:
      'from `targetTransform` (`volatility` for rv:K ...), `variance` for `--realized` and the variance columns ' +
      'of `realizedMeasures`, else a price; `variance` for the volatility metrics',
    expects: 'one of variance, volatility',
  }),
  // Sweeps and distributed runs.
  space: word({
    option: 'space',
    group: 'sweep',
    meaning:
      'what a sweep searches: forecaster options, each a list of values or a range `{ min, max, scale }` (CLI: `--space units=16,32,64`, `--space lookback=20..60`, `--space learning-rate=1e-4..1e-2:log`, with the flag names)',
    schema: z.record(z.string(), z.unknown()),
    expects: 'option names mapped to lists or ranges',
    flag: '--space',
  }),
  search: word({
    option: 'search',
    group: 'sweep',
    meaning:
      "how a sweep picks configurations: seeded `random` sampling, every combination of a `grid`, or successive `halving` (many configurations on few epochs, the best promoted). `stockcast sweep` also takes the issue's spelling `--strategy random|halving`; `strategy` alone stays backtest's trading rule",
    schema: z.enum(['random', 'grid', 'halving']),
    default: 'random',
    expects: 'one of random, grid, halving',
  }),
  trials: word({
    option: 'trials',
    group: 'sweep',
    meaning:
      'configurations a random or halving sweep tries (a grid tries all of its own); in a deflated Sharpe ' +
      'ratio, how many strategies the one shown was chosen among',
    schema: int(1, 100000),
    default: 20,
    defaultText: '20 in sweeps; none for a deflated Sharpe ratio',
    expects: 'an integer from 1 to 100000',
  }),
  objective: word({
    option: 'objective',
    group: 'sweep',
    meaning:
      'the validation metric a sweep minimizes (directionalAccuracy is maximized; `qlike` and `mseLog`: ' +
      'volatility and variance targets only)',
    schema: z.enum(['mae', 'rmse', 'mape', 'smape', 'mase', 'directionalAccuracy', 'qlike', 'mseLog']),
    default: 'rmse',
    expects: 'one of mae, rmse, mape, smape, mase, directionalAccuracy, qlike, mseLog',
  }),
  folds: word({
    option: 'folds',
    group: 'sweep',
    meaning:
      'fresh models per span of a sweep: the validation span (and the test span) is cut into this many refit folds, each trained on every row before it',
    schema: int(1, 1000),
    default: 3,
    expects: 'an integer from 1 to 1000',
  }),
  validationSize: word({
    option: 'validationSize',
    group: 'sweep',
    meaning:
      "rows before a sweep's test span that its validation folds forecast: the objective is measured there, never on the test span",
    schema: int(1, 1e9),
    defaultText: 'the test size',
    expects: 'a positive integer',
  }),
  reductionFactor: word({
    option: 'reductionFactor',
    group: 'sweep',
    meaning:
      'successive halving: each rung keeps 1/reductionFactor of the configurations and gives them reductionFactor times the epochs',
    schema: int(2, 100),
    default: 3,
    expects: 'an integer from 2 to 100',
  }),
  queue: word({
    option: 'queue',
    group: 'sweep',
    meaning:
      'run the jobs (folds, trials, symbols) on a BullMQ queue over Redis instead of local threads: `{ connection }`; results are identical',
    schema: z.object({}).passthrough(),
    defaultText: 'off: local worker threads',
    expects: '{ connection, reconnectMs }',
    flag: null,
  }),
  connection: word({
    option: 'connection',
    group: 'sweep',
    meaning:
      "where the queue's Redis is: `redis://[user:password@]host[:port][/db]`, `rediss://` for TLS, or `{ host, port, username, password, db, tls }`; credentials are never printed",
    schema: z.union([z.string().min(1), z.object({}).passthrough()]),
    expects: 'a redis:// or rediss:// URL, or a connection object',
    flag: null,
  }),
  module: word({
    group: 'backtest',
    meaning:
      'import these JavaScript modules first: they register models (registerModel) that --models can name; a queue worker imports them too (jobs never name code to load)',
    schema: z.array(z.string().min(1)).min(1),
    defaultText: 'none',
    expects: 'a comma-separated list of module files',
    flag: '--module',
  }),
  redis: word({
    group: 'sweep',
    meaning:
      'the Redis URL of a job queue (redis:// or rediss://; credentials are never printed). Without it, jobs run on local worker threads',
    schema: z.string().min(1),
    defaultText: 'off (also read from STOCKCAST_REDIS)',
    expects: 'a redis:// or rediss:// URL',
    flag: '--redis',
  }),
  reconnectMs: word({
    option: 'reconnectMs',
    group: 'sweep',
    meaning:
      'how long a sweep or backtest keeps reconnecting to an unreachable Redis before it fails with a QueueError (workers keep trying)',
    schema: int(1000, 86400000),
    default: 60000,
    expects: 'an integer from 1000 to 86400000',
  }),
  lockMs: word({
    option: 'lockMs',
    group: 'sweep',
    meaning:
      "how long a worker's claim on a job lasts unless renewed: the job of a worker that died is handed to another after this",
    schema: int(1000, 3600000),
    default: 30000,
    expects: 'an integer from 1000 to 3600000',
  }),
  onProgress: word({
    option: 'onProgress',
    group: 'sweep',
    meaning: 'called as the jobs of a sweep start and finish (progress bars)',
    schema: fn<(info: never) => unknown>(),
    expects: 'a function',
    flag: null,
  }),
  onJob: word({
    option: 'onJob',
    group: 'sweep',
    meaning: 'called when a worker takes, finishes, fails or refuses a job (logs)',
    schema: fn<(info: never) => unknown>(),
    expects: 'a function',
    flag: null,
  }),
  // The browser entry.
  kernelsUrl: word({
    option: 'kernelsUrl',
    group: 'model',
    meaning:
      "browser: where `wasm/kernels.wasm` is served, for bundlers that do not rewrite the package's `new URL(..., import.meta.url)` (esbuild)",
    schema: urlLike,
    defaultText: 'next to the package (bundlers such as Vite copy it)',
    expects: 'a URL',
    flag: null,
  }),
  workerUrl: word({
    option: 'workerUrl',
    group: 'model',
    meaning:
      'browser: where a bundled helper-thread script (`stockcast/browser-worker`) is served, for bundlers that do not bundle workers',
    schema: urlLike,
    defaultText: "the package's own (bundlers such as Vite bundle it)",
    expects: 'a URL',
    flag: null,
  }),
  database: word({
    option: 'database',
    group: 'output',
    meaning: 'browser: the IndexedDB database that keeps saved models',
    schema: z.string().min(1).max(200),
    default: 'stockcast',
    expects: 'a non-empty name',
    flag: null,
  }),
  // Output and the command line.
  json: word({
    group: 'output',
    meaning: 'print only a JSON document on stdout',
    schema: z.boolean(),
    expects: 'a switch',
    flag: '--json',
  }),
  report: word({
    group: 'output',
    meaning: 'write a self-contained HTML report',
    schema: z.string().min(1),
    expects: 'a file path',
    flag: '--report',
  }),
  plot: word({
    group: 'output',
    meaning: 'write a chart as SVG',
    schema: z.string().min(1),
    expects: 'a file path',
    flag: '--plot',
  }),
  save: word({
    option: 'save',
    group: 'output',
    meaning: 'save the trained model to this folder (a forecaster, or the volatility model a forecast fitted)',
    schema: z.string().min(1),
    expects: 'a folder path',
    flag: '--save',
  }),
  model: word({
    group: 'output',
    meaning: 'use a saved model instead of training',
    schema: z.string().min(1),
    expects: 'a folder path',
    flag: '--model',
  }),
  out: word({
    group: 'output',
    meaning: 'output file',
    schema: z.string().min(1),
    defaultText: 'stdout',
    expects: 'a file path',
    flag: '--out',
  }),
  verbose: word({
    group: 'output',
    meaning: 'print stack traces on errors',
    schema: z.boolean(),
    expects: 'a switch',
    flag: '--verbose',
  }),
  text: word({
    group: 'data',
    meaning: 'training text of a character model',
    schema: z.string(),
    expects: 'a string',
    flag: '--text',
  }),
  file: word({
    group: 'data',
    meaning: 'read the training text from a file',
    schema: z.string().min(1),
    expects: 'a file path',
    flag: '--file',
  }),
  generate: word({
    group: 'output',
    meaning: 'characters to generate after training',
    schema: int(1, 1000000),
    expects: 'an integer from 1 to 1000000',
    flag: '--generate',
  }),
  prime: word({
    group: 'output',
    meaning: 'text that generation starts from',
    schema: z.string().min(1),
    defaultText: 'the first window',
    expects: 'a string',
    flag: '--prime',
  }),
  temperature: word({
    option: 'temperature',
    group: 'output',
    meaning: 'sampling temperature (0 = always the most likely character)',
    schema: z.number().min(0).max(100),
    default: 1,
    expects: 'a number from 0 to 100',
  }),
} as const;

/** The name of an idea. */
export type WordName = keyof typeof vocabulary;

/** Spellings that must never name an idea again (the test fails if an options schema or a CLI flag uses them). */
export const retiredSpellings: Readonly<Record<string, WordName>> = {
  hiddenSize: 'units',
  hidden: 'units',
  numLayers: 'layers',
  seqLength: 'lookback',
  seqLen: 'lookback',
  lr: 'learningRate',
  stride: 'step',
  mode: 'strategy',
  method: 'windowNorm',
};

const notices = new Set<string>();

/**
 * Prints a one-line deprecation notice on stderr, once per process and spelling.
 * @internal
 */
export function deprecationNotice(old: string, now: string): void {
  if (notices.has(old)) return;
  notices.add(old);
  const text = `stockcast: ${old} is deprecated and will be removed in the next release; use ${now}\n`;
  const stderr = (globalThis as { process?: { stderr?: { write(s: string): void } } }).process?.stderr;
  if (stderr) stderr.write(text);
  else console.warn(text.trimEnd());
}
