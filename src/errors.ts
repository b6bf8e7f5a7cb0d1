/** The typed errors stockcast throws: every one carries a stable `code` and the context a user needs to fix the cause. */
import type { z } from 'zod';

/** Stable machine-readable error codes. */
export type StockcastErrorCode =
  | 'DATA_ERROR'
  | 'VALIDATION_ERROR'
  | 'MARKET_DATA_ERROR'
  | 'NOT_FITTED'
  | 'BACKEND_ERROR'
  | 'PERSISTENCE_ERROR'
  | 'QUEUE_ERROR'
  | 'ABORTED';

/** Where in an input file a problem was found (1-based line and column). */
export interface SourceLocation {
  /** The file path, when the data came from a file. */
  file?: string;
  /** 1-based line number in the file (the header is line 1). */
  line?: number;
  /** 1-based column number (field index) in the row. */
  column?: number;
  /** The column's header name. */
  columnName?: string;
}

/**
 * Base class of every error stockcast throws on purpose.
 *
 * @example
 * ```ts
 * import { StockcastError, parseCsv } from 'stockcast';
 * try { parseCsv(''); } catch (e) { if (e instanceof StockcastError) console.log(e.code); }
 * ```
 */
export class StockcastError extends Error {
  /** The class name, spelled out so that it survives bundlers, which rename classes. */
  override readonly name: string = 'StockcastError';

  /** A stable code for programmatic handling. */
  readonly code: StockcastErrorCode;
  /** A short hint on how to fix the cause, when there is one. */
  readonly hint: string | undefined;

  /**
   * @param code - stable error code
   * @param message - what was expected, what was received, and where
   * @param options - optional hint and cause
   */
  constructor(code: StockcastErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(options.hint ? `${message} (hint: ${options.hint})` : message, { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
  }
}

function describeLocation(loc: SourceLocation): string {
  const parts: string[] = [];
  let head = loc.file ?? '<input>';
  if (loc.line !== undefined) head += `:${loc.line}`;
  if (loc.line !== undefined && loc.column !== undefined) head += `:${loc.column}`;
  parts.push(head);
  if (loc.columnName !== undefined) parts.push(`column "${loc.columnName}"`);
  return parts.join(' ');
}

/**
 * Bad input data: a malformed CSV, an invalid series, an unparseable date.
 * The message starts with `file:line:column` when the data came from a file.
 *
 * @example
 * ```ts
 * import { DataError, parseCsv } from 'stockcast';
 * try { parseCsv('date,close\n2021-01-01,abc\n'); } catch (e) { if (e instanceof DataError) console.log(e.location.line); } // 2
 * ```
 */
export class DataError extends StockcastError {
  override readonly name: string = 'DataError';

  /** Where the problem is, when it has a place in a file. */
  readonly location: SourceLocation;

  /**
   * @param message - what was expected and what was received
   * @param location - file, line, column where the problem is
   * @param options - optional hint and cause
   */
  constructor(message: string, location: SourceLocation = {}, options: { hint?: string; cause?: unknown } = {}) {
    const where = Object.keys(location).length > 0 ? `${describeLocation(location)}: ` : '';
    super('DATA_ERROR', `${where}${message}`, options);
    this.location = location;
  }
}

/** One problem found by validation. */
export interface ValidationIssue {
  /** The option path, e.g. `earlyStopping.patience` (empty for the whole value). */
  path: string;
  /** What was expected and received. */
  message: string;
}

/**
 * Options or arguments that do not match their schema. Wraps the zod issues, each with its path.
 *
 * @example
 * ```ts
 * import { ValidationError, makeWindows } from 'stockcast';
 * // makeWindows(series, { lookback: -1 }) throws ValidationError: "lookback: expected ... received -1"
 * ```
 */
export class ValidationError extends StockcastError {
  override readonly name: string = 'ValidationError';

  /** The individual problems, each with the option path it concerns. */
  readonly issues: ReadonlyArray<ValidationIssue>;

  /**
   * @param what - the name of the options object or argument that was checked
   * @param issues - the problems found, each with its path
   * @param options - optional hint and cause
   */
  constructor(
    what: string,
    issues: ReadonlyArray<{ path: string; message: string }>,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    const detail = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
    super('VALIDATION_ERROR', `invalid ${what}: ${detail}`, options);
    this.issues = issues;
  }

  /**
   * Builds a ValidationError from a zod error.
   *
   * @param what - the name of the options object that was checked
   * @param error - the zod error
   * @returns the wrapped error
   */
  static fromZod(what: string, error: z.ZodError): ValidationError {
    return new ValidationError(
      what,
      error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
      { cause: error },
    );
  }
}

/**
 * A market data request failed: delisted or unknown symbol, HTTP error, unexpected body.
 *
 * @example
 * ```ts
 * import { MarketDataError, fetchYahoo } from 'stockcast';
 * try { await fetchYahoo('NOPE'); } catch (e) { if (e instanceof MarketDataError) console.log(e.symbol, e.status); }
 * ```
 */
export class MarketDataError extends StockcastError {
  override readonly name: string = 'MarketDataError';

  /** The symbol requested. */
  readonly symbol: string;
  /** The HTTP status, when the server answered. */
  readonly status: number | undefined;

  /**
   * @param symbol - the symbol requested
   * @param message - what went wrong
   * @param options - HTTP status, hint and cause
   */
  constructor(symbol: string, message: string, options: { status?: number; hint?: string; cause?: unknown } = {}) {
    super('MARKET_DATA_ERROR', `${symbol}: ${message}`, options);
    this.symbol = symbol;
    this.status = options.status;
  }
}

/**
 * A fitted object (scaler, forecaster) was used before `fit`.
 *
 * @example
 * ```ts
 * import { MinMaxScaler, NotFittedError } from 'stockcast';
 * try { new MinMaxScaler().transformColumn([1], 0); } catch (e) { console.log(e instanceof NotFittedError); } // true
 * ```
 */
export class NotFittedError extends StockcastError {
  override readonly name: string = 'NotFittedError';

  /**
   * @param what - the class or object that needs fitting
   * @param method - the method that was called
   */
  constructor(what: string, method: string) {
    super('NOT_FITTED', `${what}.${method}() was called before fit()`, { hint: `call ${what}.fit(...) first` });
  }
}

/**
 * A compute backend could not be loaded or initialized.
 *
 * @example
 * ```ts
 * import { BackendError, setBackend } from 'stockcast';
 * try { await setBackend('tensorflow'); } catch (e) { if (e instanceof BackendError) console.log(e.message); }
 * ```
 */
export class BackendError extends StockcastError {
  override readonly name: string = 'BackendError';

  /**
   * @param message - what failed
   * @param options - hint and cause
   */
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('BACKEND_ERROR', message, options);
  }
}

/**
 * Helper threads cannot start, several times in a row (a broken install: a missing entry file, a module that
 * fails to load): the pool that needed them is marked broken and refuses every task with this error, rather than
 * starting threads forever. A queue worker that meets it takes no more jobs and puts the ones it held back in the
 * queue, for healthy workers.
 *
 * @example
 * ```ts
 * import { ThreadStartError, BackendError } from 'stockcast';
 * const e = new ThreadStartError(3, 'Cannot find module task-thread.js');
 * console.log(e instanceof BackendError, e.attempts); // true 3
 * ```
 */
export class ThreadStartError extends BackendError {
  override readonly name: string = 'ThreadStartError';

  /** Start attempts that failed in a row before the pool gave up. */
  readonly attempts: number;

  /**
   * @param attempts - start attempts that failed in a row
   * @param reason - the last start failure's message
   */
  constructor(attempts: number, reason: string) {
    super(`helper threads cannot start (${attempts} attempts in a row): ${reason}`, {
      hint: 'the installation is incomplete or damaged: reinstall stockcast (npm ci) on this machine',
    });
    this.attempts = attempts;
  }
}

/**
 * Saving or loading a model or cache file failed: missing, corrupt or incompatible files.
 *
 * @example
 * ```ts
 * import { PersistenceError, loadForecaster } from 'stockcast';
 * try { await loadForecaster('no-such-dir'); } catch (e) { if (e instanceof PersistenceError) console.log(e.file); }
 * ```
 */
export class PersistenceError extends StockcastError {
  override readonly name: string = 'PersistenceError';

  /** The file concerned. */
  readonly file: string;

  /**
   * @param file - the file concerned
   * @param message - what is wrong with it
   * @param options - hint and cause
   */
  constructor(file: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('PERSISTENCE_ERROR', `${file}: ${message}`, options);
    this.file = file;
  }
}

/**
 * A job queue failed: Redis unreachable or refusing the credentials, a job refused by a worker of another version,
 * or a job lost. The message names the Redis address without credentials.
 *
 * @example
 * ```ts
 * import { QueueError, sweep, readCsv } from 'stockcast';
 * const sp = await readCsv('fixtures/sp500-2000.csv');
 * try {
 *   await sweep(sp.slice(-400), 'lstm', { space: { units: [8, 16] }, testSize: 50, queue: { connection: 'redis://127.0.0.1:1' } });
 * } catch (e) {
 *   if (e instanceof QueueError) console.log(e.address); // redis://127.0.0.1:1/0
 * }
 * ```
 */
export class QueueError extends StockcastError {
  override readonly name: string = 'QueueError';

  /** The Redis address, without credentials. */
  readonly address: string;

  /**
   * @param message - what failed (never with credentials)
   * @param address - the Redis address, without credentials
   * @param options - hint and cause
   */
  constructor(message: string, address: string, options: { hint?: string; cause?: unknown } = {}) {
    super('QUEUE_ERROR', message, options);
    this.address = address;
  }
}

/** An error as plain data, to cross a worker-thread or process boundary. @internal */
export interface ErrorData {
  name: string;
  message: string;
  code?: StockcastErrorCode;
  hint?: string;
  fields?: Record<string, unknown>;
  stack?: string;
}

const ERROR_CLASSES: Record<string, { prototype: StockcastError }> = {
  StockcastError,
  DataError,
  ValidationError,
  MarketDataError,
  NotFittedError,
  BackendError,
  ThreadStartError,
  PersistenceError,
  QueueError,
};
const ERROR_FIELDS = ['location', 'issues', 'symbol', 'status', 'file', 'address', 'attempts'] as const;

/**
 * Turns any thrown value into plain data that structured clone and JSON keep whole.
 * @internal
 */
export function errorToData(e: unknown): ErrorData {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const data: ErrorData = { name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
  if (e instanceof StockcastError) {
    data.code = e.code;
    if (e.hint !== undefined) data.hint = e.hint;
    const record = e as unknown as Record<string, unknown>;
    data.fields = Object.fromEntries(ERROR_FIELDS.filter((f) => record[f] !== undefined).map((f) => [f, record[f]]));
  }
  return data;
}

/**
 * Rebuilds the error {@link errorToData} described: the same class (so `instanceof` and `code` work), message and
 * fields; an error that was not a StockcastError becomes one with the given fallback code, its message kept.
 * @param data - what crossed the boundary
 * @param context - prepended to the message (for example `fold group 2 of 5`)
 * @param fallback - the code for errors that were not StockcastErrors
 * @internal
 */
export function errorFromData(
  data: ErrorData,
  context?: string,
  fallback: StockcastErrorCode = 'BACKEND_ERROR',
): StockcastError {
  const message = context ? `${context}: ${data.message}` : data.message;
  const Class = data.code ? (ERROR_CLASSES[data.name] ?? StockcastError) : StockcastError;
  const e = new StockcastError(data.code ?? fallback, message);
  Object.setPrototypeOf(e, Class.prototype);
  const record = e as unknown as Record<string, unknown>;
  record.name = data.code ? data.name : 'StockcastError';
  record.hint = data.hint;
  for (const [k, v] of Object.entries(data.fields ?? {})) record[k] = v;
  if (data.stack) e.stack = data.stack;
  return e;
}
