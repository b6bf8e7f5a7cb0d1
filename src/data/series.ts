/** Series: the one validated, immutable container for price history that every data source produces. */
import { DataError } from '../errors.js';
import { inferFrequency, type Frequency, type FrequencyInfo } from './frequency.js';

/** What an ingestion step did to the raw rows, so nothing is dropped or filled silently. */
export interface IngestReport {
  /** Data rows read from the source (header excluded). */
  rowsRead: number;
  /** The order the source had: descending and unsorted input are sorted ascending. */
  order: 'ascending' | 'descending' | 'unsorted';
  /** Rows dropped because of missing values (`missing: 'drop'`, or leading gaps that could not be filled). */
  droppedRows: number;
  /** Rows with no value at all (Yahoo's bars without trades), always dropped. */
  emptyRows: number;
  /** Individual values filled by `ffill` or `interpolate`. */
  filledValues: number;
  /** Rows removed as duplicate timestamps (`duplicates: 'first' | 'last'`). */
  duplicateRows: number;
  /**
   * Rows where a value was filled, and how: `interpolate` reads the next observed value, so a backtest whose test
   * span holds such rows says so (forecasts there are scored against values built from later data).
   */
  filled?: {
    /** The missing-value policy that filled them. */
    method: 'ffill' | 'interpolate';
    /** Epoch ms of every row where a value was filled, ascending. */
    timestamps: number[];
  };
}

/** A corporate action attached to a series (from Yahoo's `events`). */
export interface SeriesEvent {
  /** Epoch milliseconds. */
  timestamp: number;
  /** `dividend` amount per share, or `split` ratio numerator/denominator. */
  kind: 'dividend' | 'split';
  /** Dividend amount, or split ratio as numerator / denominator. */
  value: number;
  /** Split ratio text such as `4:1`, for splits. */
  ratio?: string;
}

/**
 * How intraday bars were grouped into coarser bars or days ({@link resampleBars}, {@link realizedMeasures}): nothing
 * left out goes uncounted.
 */
export interface AggregationReport {
  /** How bars made days: fixed `24h` days or an exchange's sessions. */
  session: '24h' | 'exchange';
  /** Intraday bars read. */
  barsRead: number;
  /** Bars outside every session (pre- and post-market, weekends, holidays), left out. */
  barsOutside: number;
  /** Output rows dropped for having fewer bars than `minBars`. */
  partialDropped: number;
  /**
   * Days dropped because the overnight treatment needs what they lack: a previous close (`overnight: 'add'` or
   * `'scale'`: the first day) or, for `scale`, a positive sum of `rv` so far.
   */
  overnightDropped: number;
}

/** Descriptive metadata carried by a Series. */
export interface SeriesMeta {
  /** Ticker symbol, when known. */
  symbol?: string;
  /** Where the data came from: a file path, `yahoo`, `dataframe`, `memory`. */
  source?: string;
  /** Inferred sampling frequency. */
  frequency: Frequency;
  /** Median step between timestamps in milliseconds. */
  stepMs: number;
  /** What ingestion did to the raw rows. */
  ingest?: IngestReport;
  /** Dividends and splits, when the source provides them. */
  events?: SeriesEvent[];
  /** Market data: whether prices are adjusted for splits and dividends (Yahoo's `adjusted`, default true). */
  adjusted?: boolean;
  /**
   * Columns whose row t reads later rows, with how many (`addVolatility` with `align: 'forward'`). Backtests
   * refuse them as a target or feature: their training labels near an origin would read the test span.
   */
  lookahead?: Record<string, number>;
  /** How the rows were made from intraday bars, when they were ({@link resampleBars}, {@link realizedMeasures}). */
  aggregation?: AggregationReport;
}

/** Input for {@link Series.create}. */
export interface SeriesInit {
  /** Epoch milliseconds (or Dates), strictly increasing. */
  timestamps: ArrayLike<number> | ReadonlyArray<Date>;
  /** Named numeric columns, each as long as `timestamps`, with finite values. */
  columns: Record<string, ArrayLike<number>>;
  /** Optional metadata; frequency is inferred when absent. */
  meta?: Partial<SeriesMeta>;
}

/** One row of a Series as a plain object: the date plus one number per column. */
export type SeriesRow = {
  /** The row's timestamp. */
  date: Date;
} & Record<string, number | Date>;

function toEpoch(timestamps: SeriesInit['timestamps']): Float64Array {
  const out = new Float64Array(timestamps.length);
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i] as number | Date;
    out[i] = t instanceof Date ? t.getTime() : t;
  }
  return out;
}

/**
 * An immutable, validated table of numeric columns indexed by strictly increasing timestamps.
 * Create it with {@link Series.create}; every operation returns a new Series.
 *
 * @example
 * ```ts
 * import { Series } from 'stockcast';
 * const s = Series.create({ timestamps: [Date.UTC(2021, 2, 21), Date.UTC(2021, 2, 28)], columns: { close: [932000, 834000] } });
 * s.length; // 2
 * s.meta.frequency; // 'weekly'
 * ```
 */
export class Series {
  readonly #timestamps: Float64Array;
  readonly #columns: ReadonlyMap<string, Float64Array>;
  /** Descriptive metadata (symbol, source, frequency, ingestion report). */
  readonly meta: Readonly<SeriesMeta>;

  private constructor(timestamps: Float64Array, columns: Map<string, Float64Array>, meta: SeriesMeta) {
    this.#timestamps = timestamps;
    this.#columns = columns;
    this.meta = Object.freeze(meta);
  }

  /**
   * Validates and builds a Series. Arrays are copied, so later changes to the inputs do not affect it.
   *
   * @param init - timestamps, columns and optional metadata
   * @returns the new Series
   * @throws {@link DataError} when timestamps are not finite and strictly increasing, a column's length differs,
   *   a value is not finite, a column name is empty or `date`, or there are no columns
   * @example
   * ```ts
   * import { Series } from 'stockcast';
   * Series.create({ timestamps: [0, 86400000], columns: { close: [1, 2] }, meta: { symbol: 'SPY' } });
   * ```
   */
  static create(init: SeriesInit): Series {
    const timestamps = toEpoch(init.timestamps);
    const columns = new Map<string, Float64Array>();
    for (const [name, values] of Object.entries(init.columns)) columns.set(name, Float64Array.from(values));
    return Series.owned(timestamps, columns, init.meta ?? {});
  }

  /**
   * Validates arrays this Series may keep without a copy (as {@link Series.create} validates its copies) and builds it.
   * @throws {@link DataError} as {@link Series.create}
   * @internal
   */
  static owned(
    timestamps: Float64Array,
    columns: Map<string, Float64Array>,
    meta: SeriesInit['meta'] & object,
  ): Series {
    const n = timestamps.length;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(timestamps[i]))
        throw new DataError(`timestamp ${i} is not a finite epoch-ms value: received ${timestamps[i]}`);
      if (i > 0 && timestamps[i] <= timestamps[i - 1]) {
        throw new DataError(
          `timestamps must be strictly increasing: timestamp ${i} (${new Date(timestamps[i]).toISOString()}) is not after timestamp ${i - 1} (${new Date(timestamps[i - 1]).toISOString()})`,
        );
      }
    }
    if (columns.size === 0) throw new DataError('a Series needs at least one column: received none');
    for (const [name, values] of columns) {
      if (name.trim() === '' || name === 'date') {
        throw new DataError(
          `column names must be non-empty and not "date" (the date axis is the timestamps): received "${name}"`,
        );
      }
      if (values.length !== n) {
        throw new DataError(`column "${name}" has ${values.length} values but there are ${n} timestamps`);
      }
      for (let i = 0; i < n; i++) {
        if (!Number.isFinite(values[i])) {
          throw new DataError(
            `column "${name}" row ${i} (${new Date(timestamps[i]).toISOString()}) is not a finite number: received ${values[i]}`,
          );
        }
      }
    }
    return Series.trusted(timestamps, columns, meta);
  }

  /** Builds a Series from already validated, owned arrays. @internal */
  static trusted(
    timestamps: Float64Array,
    columns: Map<string, Float64Array>,
    meta: SeriesInit['meta'] & object,
  ): Series {
    const info: FrequencyInfo =
      meta.frequency !== undefined && meta.stepMs !== undefined
        ? { frequency: meta.frequency, stepMs: meta.stepMs }
        : inferFrequency(timestamps);
    return new Series(timestamps, columns, {
      ...meta,
      frequency: meta.frequency ?? info.frequency,
      stepMs: meta.stepMs ?? info.stepMs,
    });
  }

  /** The same rows with metadata replaced by `patch` (arrays shared, not copied). @internal */
  withMeta(patch: Partial<SeriesMeta>): Series {
    return new Series(this.#timestamps, this.#columns as Map<string, Float64Array>, { ...this.meta, ...patch });
  }

  /** The stored timestamps without a copy; callers must not modify them. @internal */
  timestampsRef(): Float64Array {
    return this.#timestamps;
  }

  /** Number of rows. */
  get length(): number {
    return this.#timestamps.length;
  }

  /** Column names, in order. */
  get columns(): string[] {
    return [...this.#columns.keys()];
  }

  /** A copy of the timestamps (epoch ms). */
  get timestamps(): Float64Array {
    return this.#timestamps.slice();
  }

  /** The frequency information used for calendars. */
  get frequencyInfo(): FrequencyInfo {
    return { frequency: this.meta.frequency, stepMs: this.meta.stepMs };
  }

  /** The first timestamp (epoch ms); NaN when empty. */
  get firstTimestamp(): number {
    return this.length > 0 ? this.#timestamps[0] : Number.NaN;
  }

  /** The last timestamp (epoch ms); NaN when empty. */
  get lastTimestamp(): number {
    return this.length > 0 ? this.#timestamps[this.length - 1] : Number.NaN;
  }

  /**
   * Whether the series has a column of that name.
   * @param name - column name
   * @returns true when present
   */
  has(name: string): boolean {
    return this.#columns.has(name);
  }

  /**
   * A copy of one column's values.
   *
   * @param name - the column name
   * @returns the values, one per timestamp
   * @throws {@link DataError} when there is no such column (the message lists the columns that exist)
   * @example
   * ```ts
   * import { Series } from 'stockcast';
   * Series.create({ timestamps: [0], columns: { close: [5] } }).column('close'); // Float64Array [5]
   * ```
   */
  column(name: string): Float64Array {
    return this.columnRef(name).slice();
  }

  /** The stored column without a copy; callers must not modify it. @internal */
  columnRef(name: string): Float64Array {
    const values = this.#columns.get(name);
    if (!values) {
      throw new DataError(`no column "${name}": the series has ${this.columns.map((c) => `"${c}"`).join(', ')}`);
    }
    return values;
  }

  /** The timestamp at row `i` (epoch ms). */
  timestampAt(i: number): number {
    return this.#timestamps[i];
  }

  /** The timestamps as Date objects. */
  dates(): Date[] {
    return Array.from(this.#timestamps, (t) => new Date(t));
  }

  /**
   * Rows [start, end) as a new Series (negative indices count from the end, like Array.slice).
   * @param start - first row, inclusive (default 0)
   * @param end - last row, exclusive (default length)
   * @returns the sliced Series
   */
  slice(start = 0, end = this.length): Series {
    const ts = this.#timestamps.slice(start, end);
    const cols = new Map<string, Float64Array>();
    for (const [name, values] of this.#columns) cols.set(name, values.slice(start, end));
    // Frequency is kept from the parent so that short slices do not become 'irregular'.
    return Series.trusted(ts, cols, { ...this.meta });
  }

  /**
   * Rows whose timestamps lie in [from, to], both inclusive.
   * @param from - Date or epoch ms
   * @param to - Date or epoch ms
   * @returns the rows in range as a new Series
   */
  between(from: Date | number, to: Date | number): Series {
    const lo = lowerBound(this.#timestamps, +from);
    const hi = lowerBound(this.#timestamps, +to + 0.5);
    return this.slice(lo, Math.max(lo, hi));
  }

  /**
   * The row index of the first timestamp >= `at`, or `length` when none is.
   * @param at - Date or epoch ms
   * @returns the row index
   */
  indexAtOrAfter(at: Date | number): number {
    return lowerBound(this.#timestamps, +at);
  }

  /**
   * A Series with only the named columns, in that order.
   * @param names - the columns to keep
   * @returns the new Series
   * @throws {@link DataError} when a name does not exist
   */
  select(names: readonly string[]): Series {
    const cols = new Map<string, Float64Array>();
    for (const name of names) cols.set(name, this.columnRef(name));
    return Series.trusted(this.#timestamps, cols, { ...this.meta });
  }

  /**
   * A Series with one column added or replaced.
   * @param name - column name
   * @param values - one finite value per row
   * @returns the new Series
   * @throws {@link DataError} when the length differs or a value is not finite
   */
  withColumn(name: string, values: ArrayLike<number>): Series {
    const cols: Record<string, ArrayLike<number>> = {};
    for (const [k, v] of this.#columns) cols[k] = v;
    cols[name] = values;
    return Series.create({ timestamps: this.#timestamps, columns: cols, meta: { ...this.meta } });
  }

  /**
   * The rows as plain objects: `{ date, [column]: value }`.
   * @returns one object per row
   */
  toRows(): SeriesRow[] {
    const rows: SeriesRow[] = [];
    for (let i = 0; i < this.length; i++) {
      const row: SeriesRow = { date: new Date(this.#timestamps[i]) };
      for (const [name, values] of this.#columns) row[name] = values[i];
      rows.push(row);
    }
    return rows;
  }
}

/** First index i with a[i] >= x (a sorted ascending). */
function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
