/** Panel: several validated Series keyed by symbol, each with its own dates, checked once where it is made. */
import { DataError } from '../errors.js';
import { inferFrequency, type FrequencyInfo } from './frequency.js';
import { Series, type IngestReport } from './series.js';

/** Descriptive metadata of a Panel. */
export interface PanelMeta {
  /** Where the data came from: a file path, `yahoo`, `dataframe`, `memory`. */
  source?: string;
}

/** Series keyed by symbol: a record, a Map, or `[symbol, series]` pairs (their order is the panel's order). */
export type PanelInit =
  | Readonly<Record<string, Series>>
  | ReadonlyMap<string, Series>
  | Iterable<readonly [string, Series]>;

const SHOWN = 10;

function listOf(symbols: readonly string[]): string {
  const shown = symbols
    .slice(0, SHOWN)
    .map((s) => `"${s}"`)
    .join(', ');
  return symbols.length > SHOWN ? `${shown} and ${symbols.length - SHOWN} more` : shown;
}

function entriesOf(init: PanelInit): Array<readonly [string, Series]> {
  if (init instanceof Map) return [...init.entries()];
  if (typeof (init as Iterable<unknown>)[Symbol.iterator] === 'function')
    return [...(init as Iterable<readonly [string, Series]>)];
  return Object.entries(init as Record<string, Series>);
}

/** Sorted union of sorted arrays, without repeats. */
function unionOf(arrays: Float64Array[]): Float64Array {
  let total = 0;
  for (const a of arrays) total += a.length;
  const all = new Float64Array(total);
  let at = 0;
  for (const a of arrays) {
    all.set(a, at);
    at += a.length;
  }
  all.sort();
  let m = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[m - 1]) all[m++] = all[i];
  return all.slice(0, m);
}

/**
 * An immutable collection of {@link Series} keyed by symbol. Each symbol keeps its own dates (tickers list
 * and delist at different times: ragged starts and ends, gaps), and every series has the same columns.
 * Create it with {@link Panel.create} or a builder ({@link readPanelCsv}, {@link fetchYahooPanel},
 * {@link panelFromDataFrames}); every operation returns a new Panel.
 *
 * @example
 * ```ts
 * import { Panel, Series } from 'stockcast';
 * const day = 86_400_000;
 * const panel = Panel.create({
 *   AAPL: Series.create({ timestamps: [0, day, 2 * day], columns: { close: [1, 2, 3] } }),
 *   MSFT: Series.create({ timestamps: [day, 2 * day], columns: { close: [5, 6] } }),
 * });
 * panel.symbols; // ['AAPL', 'MSFT']
 * panel.timestamps.length; // 3 (the union of the dates)
 * ```
 */
export class Panel {
  readonly #symbols: readonly string[];
  readonly #series: ReadonlyMap<string, Series>;
  #union: Float64Array | undefined;
  /** Descriptive metadata (source). */
  readonly meta: Readonly<PanelMeta>;

  private constructor(symbols: string[], series: Map<string, Series>, meta: PanelMeta) {
    this.#symbols = Object.freeze(symbols);
    this.#series = series;
    this.meta = Object.freeze({ ...meta });
  }

  /**
   * Validates and builds a Panel. Each series' `meta.symbol` is set to its key; columns are put in the first
   * symbol's order. Arrays are shared with the given series, which are immutable.
   *
   * @param series - series keyed by symbol (a record, a Map, or `[symbol, series]` pairs), in the panel's order
   * @param meta - optional metadata
   * @returns the new Panel
   * @throws {@link DataError} when there are no symbols, a symbol is empty, has surrounding whitespace or is
   *   repeated, a value is not a Series or has no rows, or the symbols' columns differ
   * @example
   * ```ts
   * import { Panel, Series } from 'stockcast';
   * const s = Series.create({ timestamps: [0, 86_400_000], columns: { close: [1, 2] } });
   * Panel.create([['SPY', s], ['QQQ', s]]).size; // 2
   * ```
   */
  static create(series: PanelInit, meta: PanelMeta = {}): Panel {
    const entries = entriesOf(series);
    if (entries.length === 0) throw new DataError('a Panel needs at least one symbol: received none');
    const map = new Map<string, Series>();
    let columns: string[] | undefined;
    let first = '';
    for (const entry of entries) {
      const [symbol, s] = entry;
      if (typeof symbol !== 'string' || symbol.trim() === '')
        throw new DataError(`symbol names must be non-empty strings: received ${JSON.stringify(symbol)}`);
      if (symbol.trim() !== symbol)
        throw new DataError(`symbol names must not start or end with whitespace: received ${JSON.stringify(symbol)}`);
      if (map.has(symbol)) throw new DataError(`symbol "${symbol}" is given twice`);
      if (!(s instanceof Series))
        throw new DataError(`symbol "${symbol}": expected a Series, received ${s === null ? 'null' : typeof s}`);
      if (s.length === 0)
        throw new DataError(
          `symbol "${symbol}" has no rows`,
          {},
          { hint: 'leave it out of the panel, or widen the date range' },
        );
      if (columns === undefined) {
        columns = s.columns;
        first = symbol;
      } else {
        const have = new Set(s.columns);
        const missing = columns.filter((c) => !have.has(c));
        const extra = s.columns.filter((c) => !columns!.includes(c));
        if (missing.length > 0 || extra.length > 0) {
          const parts = [
            missing.length > 0 ? `lacks ${missing.map((c) => `"${c}"`).join(', ')}` : '',
            extra.length > 0 ? `has extra ${extra.map((c) => `"${c}"`).join(', ')}` : '',
          ].filter(Boolean);
          throw new DataError(
            `every symbol needs the same columns: "${symbol}" ${parts.join(' and ')} (compared with "${first}": ${columns.map((c) => `"${c}"`).join(', ')})`,
            {},
            { hint: 'select the shared columns with panel.map((s) => s.select([...]))' },
          );
        }
      }
      const ordered = s.columns.every((c, i) => c === columns![i]) ? s : s.select(columns);
      map.set(symbol, ordered.meta.symbol === symbol ? ordered : ordered.withMeta({ symbol }));
    }
    return new Panel([...map.keys()], map, meta);
  }

  /** The symbols, in the panel's order. */
  get symbols(): string[] {
    return [...this.#symbols];
  }

  /** Number of symbols. */
  get size(): number {
    return this.#symbols.length;
  }

  /** The column names every symbol has, in order. */
  get columns(): string[] {
    return this.#series.get(this.#symbols[0])!.columns;
  }

  /** Total rows over all symbols. */
  get rowCount(): number {
    let n = 0;
    for (const s of this.#series.values()) n += s.length;
    return n;
  }

  /** The union of every symbol's timestamps (epoch ms), sorted, as a copy. */
  get timestamps(): Float64Array {
    return this.unionRef().slice();
  }

  /** The first timestamp of any symbol (epoch ms). */
  get firstTimestamp(): number {
    return this.unionRef()[0];
  }

  /** The last timestamp of any symbol (epoch ms). */
  get lastTimestamp(): number {
    const u = this.unionRef();
    return u[u.length - 1];
  }

  /** The frequency of the union of the dates (a daily panel with ragged symbols is still daily). */
  get frequencyInfo(): FrequencyInfo {
    return inferFrequency(this.unionRef());
  }

  /** The ingestion report of each symbol that has one (what was read, dropped, filled, de-duplicated). */
  get ingest(): Record<string, IngestReport> {
    const out: Record<string, IngestReport> = {};
    for (const [symbol, s] of this.#series) if (s.meta.ingest) out[symbol] = s.meta.ingest;
    return out;
  }

  /** The union of the timestamps without a copy; callers must not modify it. @internal */
  unionRef(): Float64Array {
    this.#union ??= unionOf([...this.#series.values()].map((s) => s.timestampsRef()));
    return this.#union;
  }

  /**
   * Whether the panel has a symbol.
   * @param symbol - the symbol
   * @returns true when present
   */
  has(symbol: string): boolean {
    return this.#series.has(symbol);
  }

  /**
   * One symbol's series.
   *
   * @param symbol - the symbol
   * @returns its Series (with `meta.symbol` set)
   * @throws {@link DataError} when the panel has no such symbol (the message lists the symbols it has)
   * @example
   * ```ts
   * import { readPanelCsv } from 'stockcast';
   * const stocks = await readPanelCsv('fixtures/stocks.csv');
   * stocks.get('GOOG').length; // 68
   * ```
   */
  get(symbol: string): Series {
    const s = this.#series.get(symbol);
    if (!s) throw new DataError(`no symbol "${symbol}": the panel has ${listOf(this.#symbols)}`);
    return s;
  }

  /** `[symbol, series]` pairs in the panel's order. */
  *[Symbol.iterator](): IterableIterator<[string, Series]> {
    for (const symbol of this.#symbols) yield [symbol, this.#series.get(symbol)!];
  }

  /**
   * A panel with each series replaced by `fn(series, symbol)` (validated again as a panel).
   *
   * @param fn - returns the new series of a symbol
   * @returns the new Panel
   * @throws {@link DataError} when a result is not a Series, has no rows, or the columns no longer agree
   * @example
   * ```ts
   * import { readPanelCsv } from 'stockcast';
   * const stocks = await readPanelCsv('fixtures/stocks.csv');
   * const recent = stocks.map((s) => s.slice(-12)); // the last 12 months of each symbol
   * ```
   */
  map(fn: (series: Series, symbol: string) => Series): Panel {
    return Panel.create(
      this.#symbols.map((symbol) => [symbol, fn(this.#series.get(symbol)!, symbol)] as const),
      this.meta,
    );
  }

  /**
   * The symbols for which `fn` returns true.
   *
   * @param fn - the test
   * @returns the new Panel
   * @throws {@link DataError} when no symbol passes
   * @example
   * ```ts
   * import { readPanelCsv } from 'stockcast';
   * const long = (await readPanelCsv('fixtures/stocks.csv')).filter((s) => s.length >= 100); // GOOG (68 months) is left out
   * ```
   */
  filter(fn: (series: Series, symbol: string) => boolean): Panel {
    const kept = this.#symbols.filter((symbol) => fn(this.#series.get(symbol)!, symbol));
    if (kept.length === 0) throw new DataError(`no symbol passes the filter (of ${listOf(this.#symbols)})`);
    return this.select(kept);
  }

  /**
   * The named symbols, in that order.
   *
   * @param symbols - symbols to keep
   * @returns the new Panel
   * @throws {@link DataError} when a symbol is not in the panel, or the list is empty
   */
  select(symbols: readonly string[]): Panel {
    return Panel.create(
      symbols.map((symbol) => [symbol, this.get(symbol)] as const),
      this.meta,
    );
  }

  /**
   * Rows whose timestamps lie in [from, to], both inclusive, for every symbol. Symbols without a row in the
   * range are left out (a ticker that listed later or delisted earlier), which {@link Panel.symbols} shows.
   *
   * @param from - Date or epoch ms
   * @param to - Date or epoch ms
   * @returns the new Panel
   * @throws {@link DataError} when no symbol has a row in the range
   * @example
   * ```ts
   * import { readPanelCsv } from 'stockcast';
   * const stocks = await readPanelCsv('fixtures/stocks.csv');
   * stocks.between(new Date('2001-01-01'), new Date('2003-12-31')).symbols; // GOOG is not there yet
   * ```
   */
  between(from: Date | number, to: Date | number): Panel {
    const kept: Array<[string, Series]> = [];
    for (const [symbol, s] of this) {
      const part = s.between(from, to);
      if (part.length > 0) kept.push([symbol, part]);
    }
    if (kept.length === 0) {
      throw new DataError(
        `no symbol has rows between ${new Date(+from).toISOString()} and ${new Date(+to).toISOString()} (the panel spans ${new Date(this.firstTimestamp).toISOString()} to ${new Date(this.lastTimestamp).toISOString()})`,
      );
    }
    return Panel.create(kept, this.meta);
  }
}
