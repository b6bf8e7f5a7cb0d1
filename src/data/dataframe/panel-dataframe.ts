/** danfojs interop for panels: one long DataFrame with a symbol column, or one DataFrame per symbol, and back. */
import { z } from 'zod';
import { DataError } from '../../errors.js';
import { parseOptions } from '../../validate.js';
import { vocabulary as v } from '../../vocabulary.js';
import { loadDanfo, readFrame, type DataFrameLike } from './dataframe.js';
import { assemblePanel, assembleSymbol, withSymbol } from '../panel-assemble.js';
import { Panel } from '../panel.js';
import type { Series } from '../series.js';

/** Options of {@link panelFromDataFrame} and {@link panelFromDataFrames}. */
export const PanelDataFrameOptionsSchema = z
  .object({
    /** {@link panelFromDataFrame} only: the symbol column. Default: a column named symbol or ticker (any case). */
    symbolColumn: v.symbolColumn.optional(),
    /** The symbols to keep, in this order; each must be present. Default: all. */
    symbols: v.symbols.optional(),
    /** The date column; default: a column named date/timestamp/time/datetime, else the index. */
    dateColumn: v.dateColumn.optional(),
    /** Value columns to keep (default: all but the date and the symbol). */
    columns: v.columns.optional(),
    /** Missing values (null, undefined, NaN), per symbol: `error` (default), `drop`, `ffill` or `interpolate`. */
    missing: v.missing.withDefault(),
    /** Repeated dates within a symbol: `error` (default), `first` or `last`. */
    duplicates: v.duplicates.withDefault(),
  })
  .strict();

/** Options of {@link panelFromDataFrame} and {@link panelFromDataFrames}, as accepted. */
export type PanelDataFrameOptions = z.input<typeof PanelDataFrameOptionsSchema>;

/**
 * Builds a Panel from one long DataFrame: a symbol column, a date column and value columns, one row per
 * symbol and date (rows in any order).
 *
 * @param df - the DataFrame (danfojs or anything shaped like one)
 * @param options - see {@link PanelDataFrameOptionsSchema}
 * @returns the Panel, one Series per symbol with its own ingest report
 * @throws {@link DataError} for a missing symbol or date column, an empty symbol, a non-numeric value, a
 *   symbol with no rows, and the missing and duplicate errors of {@link fromDataFrame}, naming the symbol
 * @throws {@link ValidationError} for invalid options
 * @example
 * ```ts
 * import { panelFromDataFrame, panelToDataFrame, readPanelCsv } from 'stockcast';
 * const stocks = await readPanelCsv('fixtures/stocks.csv');
 * const back = panelFromDataFrame(await panelToDataFrame(stocks)); // the same panel
 * ```
 */
export function panelFromDataFrame(df: DataFrameLike, options: PanelDataFrameOptions = {}): Panel {
  const opts = parseOptions(PanelDataFrameOptionsSchema, options, 'panel DataFrame options');
  const names = [...df.columns];
  const symbolColumn = opts.symbolColumn ?? names.find((c) => ['symbol', 'ticker'].includes(c.toLowerCase()));
  if (!symbolColumn || !names.includes(symbolColumn)) {
    const what = opts.symbolColumn
      ? `no symbol column "${opts.symbolColumn}"`
      : 'no symbol column (looked for symbol, ticker)';
    throw new DataError(
      `${what}: the DataFrame has ${names.map((c) => `"${c}"`).join(', ')}`,
      {},
      { hint: 'pass symbolColumn, or give one DataFrame per symbol to panelFromDataFrames' },
    );
  }
  const { timestamps, columns } = readFrame(df, { ...opts, missing: 'drop' }, [symbolColumn]);
  const codes = new Int32Array(timestamps.length);
  const symbols: string[] = [];
  const index = new Map<string, number>();
  df.column(symbolColumn).values.forEach((v, i) => {
    const symbol = typeof v === 'string' ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
    if (symbol === '')
      throw new DataError(`row ${i} column "${symbolColumn}": expected a symbol name, received ${JSON.stringify(v)}`);
    let code = index.get(symbol);
    if (code === undefined) {
      code = symbols.length;
      index.set(symbol, code);
      symbols.push(symbol);
    }
    codes[i] = code;
  });
  // Missing values were kept as NaN above so that the policy applies per symbol, with the symbol named.
  if (opts.missing === 'error') {
    for (const [name, values] of columns) {
      const bad = values.findIndex((v) => Number.isNaN(v));
      if (bad >= 0)
        throw new DataError(
          `row ${bad} column "${name}" (symbol "${symbols[codes[bad]]}"): missing value`,
          {},
          { hint: "pass missing: 'drop', 'ffill' or 'interpolate'" },
        );
    }
  }
  return assemblePanel(
    { timestamps, columns, codes, symbols, locate: () => ({}) },
    { missing: opts.missing, duplicates: opts.duplicates, source: 'dataframe', symbols: opts.symbols },
  );
}

/**
 * Builds a Panel from one DataFrame per symbol.
 *
 * @param frames - DataFrames keyed by symbol (a record or a Map), in the panel's order
 * @param options - see {@link PanelDataFrameOptionsSchema} (`symbolColumn` does not apply)
 * @returns the Panel
 * @throws {@link DataError} naming the symbol for every problem {@link fromDataFrame} reports, and when the
 *   symbols' columns differ
 * @throws {@link ValidationError} for invalid options
 * @example
 * ```ts
 * import { panelFromDataFrames, readCsv, toDataFrame } from 'stockcast';
 * const sp = await readCsv('fixtures/sp500-2000.csv');
 * const panel = panelFromDataFrames({ SPX: await toDataFrame(sp), EARLY: await toDataFrame(sp.slice(0, 100)) });
 * ```
 */
export function panelFromDataFrames(
  frames: Readonly<Record<string, DataFrameLike>> | ReadonlyMap<string, DataFrameLike>,
  options: PanelDataFrameOptions = {},
): Panel {
  const opts = parseOptions(PanelDataFrameOptionsSchema, options, 'panel DataFrame options');
  if (opts.symbolColumn)
    throw new DataError(
      'symbolColumn applies to one long DataFrame (panelFromDataFrame); here each DataFrame is one symbol',
    );
  const all = frames instanceof Map ? [...frames.entries()] : Object.entries(frames as Record<string, DataFrameLike>);
  const have = new Map(all);
  const chosen = opts.symbols ?? all.map(([symbol]) => symbol);
  const entries: Array<[string, Series]> = chosen.map((symbol) => {
    const df = have.get(symbol);
    if (!df)
      throw new DataError(
        `no DataFrame for symbol "${symbol}": received ${all.map(([s]) => `"${s}"`).join(', ') || 'none'}`,
      );
    try {
      const { timestamps, columns } = readFrame(df, opts, []);
      const rows = Int32Array.from({ length: timestamps.length }, (_, i) => i);
      return [
        symbol,
        assembleSymbol(
          { timestamps, columns, codes: new Int32Array(0), symbols: [], locate: () => ({}) },
          rows,
          symbol,
          { ...opts, source: 'dataframe' },
        ),
      ];
    } catch (e) {
      throw withSymbol(e, symbol);
    }
  });
  return Panel.create(entries, { source: 'dataframe' });
}

/**
 * Converts a Panel to one long danfojs-node DataFrame: `symbol`, `date`, then one float column per panel
 * column, rows grouped by symbol in the panel's order.
 *
 * @param panel - the panel
 * @returns a danfojs-node DataFrame (typed {@link DataFrameLike}; pass danfojs' `DataFrame` type as `T` for its full API)
 * @throws {@link BackendError} when danfojs-node is not installed
 * @throws {@link DataError} when the panel has a column named `symbol`
 * @example
 * ```ts
 * import type { DataFrame } from 'danfojs-node';
 * import { panelToDataFrame, readPanelCsv } from 'stockcast';
 * const df = await panelToDataFrame<DataFrame>(await readPanelCsv('fixtures/stocks.csv'));
 * df.head().print();
 * ```
 */
export async function panelToDataFrame<T = DataFrameLike>(panel: Panel): Promise<T> {
  if (panel.columns.includes('symbol'))
    throw new DataError(
      'the panel has a column named "symbol", which the long DataFrame uses for the symbols',
      {},
      { hint: 'rename the column first' },
    );
  const danfo = await loadDanfo();
  const data: Record<string, unknown[]> = { symbol: [], date: [] };
  for (const name of panel.columns) data[name] = [];
  for (const [symbol, s] of panel) {
    for (let i = 0; i < s.length; i++) {
      data.symbol.push(symbol);
      data.date.push(new Date(s.timestampAt(i)));
    }
    for (const name of panel.columns) for (const v of s.columnRef(name)) data[name].push(v);
  }
  return new danfo.DataFrame(data, {
    dtypes: ['string', 'datetime', ...panel.columns.map(() => 'float32')],
  }) as unknown as T;
}
