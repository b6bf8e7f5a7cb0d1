/** Panel CSV ingestion: long files (a symbol column) and wide files (one value column per symbol), parsed or streamed. */
import { z } from 'zod';
import { DataError } from '../../errors.js';
import { parseOptions } from '../../validate.js';
import { vocabulary as v } from '../../vocabulary.js';
import { readTableFile, readTableText, type ReadTable } from './csv-table.js';
import type { RawCsvTable, TableSpec } from './csv-builder.js';
import { RecordProblem } from './csv-header.js';
import { assemblePanel, assembleSymbol, type PanelPolicy } from '../panel-assemble.js';
import { Panel } from '../panel.js';
import { sourceName, sourceText, type CsvSource } from './csv-source.js';
import type { Series } from '../series.js';

/** Options of {@link parsePanelCsv} and {@link readPanelCsv}. */
export const PanelCsvOptionsSchema = z
  .object({
    /** Long layout: the symbol column. Default: a column named symbol or ticker (any case), unless `wide`. */
    symbolColumn: v.symbolColumn.optional(),
    /** Wide layout: every column but the date is one symbol's values, empty where it has no data (CLI: --wide). */
    wide: v.wide.withDefault(),
    /** Wide layout: the name of the one value column each symbol's Series gets (CLI: --target). Default `close`. */
    valueColumn: v.valueColumn.optional(),
    /** The symbols to keep, in this order; each must be in the file. Default: all (long: in order of first appearance; wide: header order). */
    symbols: v.symbols.optional(),
    /** Long layout: value columns to keep (default: every column but the date and the symbol). */
    columns: v.columns.optional(),
    /** The date column; default: the first column named date, Date, timestamp, time or datetime (any case). */
    dateColumn: v.dateColumn.optional(),
    /** `auto` (default), `iso`, `epoch-s`, `epoch-ms`, or a date-fns format. Dates are read as UTC. */
    dateFormat: v.dateFormat.withDefault(),
    /** Missing values, per symbol: `error` (default), `drop` the row, `ffill`, or `interpolate`. */
    missing: v.missing.withDefault(),
    /** Repeated dates within a symbol: `error` (default), keep the `first` or the `last` in file order. */
    duplicates: v.duplicates.withDefault(),
    /** Field delimiter (default `,`). */
    delimiter: v.delimiter.withDefault(),
    /** Cell texts that mean "missing" (default: {@link DEFAULT_NA_VALUES}, pandas' default `na_values`). */
    naValues: v.naValues.withDefault(),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.wide && o.symbolColumn)
      ctx.addIssue({
        code: 'custom',
        path: ['symbolColumn'],
        message: 'a wide file has no symbol column: give symbolColumn (long) or wide: true, not both',
      });
    if (o.wide && o.columns)
      ctx.addIssue({
        code: 'custom',
        path: ['columns'],
        message:
          'a wide file has one value per symbol: choose symbols with symbols, and name the value with valueColumn',
      });
    if (!o.wide && o.valueColumn)
      ctx.addIssue({
        code: 'custom',
        path: ['valueColumn'],
        message:
          'valueColumn names the values of a wide file: pass wide: true, or choose columns of a long file with columns',
      });
    if (o.symbols && new Set(o.symbols).size !== o.symbols.length)
      ctx.addIssue({ code: 'custom', path: ['symbols'], message: 'a symbol is listed twice' });
  });

/** Options of {@link parsePanelCsv} and {@link readPanelCsv}, as accepted (before defaults). */
export type PanelCsvOptions = z.input<typeof PanelCsvOptionsSchema>;
type ParsedPanelCsvOptions = z.output<typeof PanelCsvOptionsSchema>;

function panelSpec(o: ParsedPanelCsvOptions): TableSpec {
  return {
    layout: o.wide ? 'wide' : 'long',
    dateColumn: o.dateColumn,
    dateFormat: o.dateFormat,
    columns: o.columns,
    naValues: o.naValues,
    missing: o.missing,
    delimiter: o.delimiter,
    symbolColumn: o.symbolColumn,
    symbols: o.symbols,
  };
}

function iso(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * A wide file: each symbol's rows are those from its first to its last value in time. Empty cells before
 * and after are "no data yet / any more"; empty cells inside the span are missing values under the policy.
 */
function wideToPanel(
  table: RawCsvTable,
  file: string | undefined,
  lineOf: (record: number) => number,
  o: ParsedPanelCsvOptions,
): Panel {
  const value = o.valueColumn ?? 'close';
  const ts = table.timestamps;
  const policy: PanelPolicy = { missing: o.missing, duplicates: o.duplicates, source: file ?? 'csv' };
  const entries: Array<[string, Series]> = [];
  table.symbols.forEach((symbol, s) => {
    const values = table.columns.get(symbol)!;
    const column = table.symbolColumns[s];
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < ts.length; i++) {
      if (Number.isNaN(values[i])) continue;
      if (ts[i] < lo) lo = ts[i];
      if (ts[i] > hi) hi = ts[i];
    }
    if (lo > hi)
      throw new RecordProblem(
        0,
        column,
        `symbol "${symbol}" has no values: every cell of column ${column} is missing`,
        'leave the symbol out with symbols (CLI: --symbols)',
      );
    let count = 0;
    for (let i = 0; i < ts.length; i++) if (ts[i] >= lo && ts[i] <= hi) count++;
    const rows = new Int32Array(count);
    count = 0;
    for (let i = 0; i < ts.length; i++) {
      if (ts[i] < lo || ts[i] > hi) continue;
      if (Number.isNaN(values[i]) && o.missing === 'error') {
        throw new RecordProblem(
          table.records[i],
          column,
          `missing value for symbol "${symbol}" on ${iso(ts[i])}, inside its span of data (${iso(lo)} to ${iso(hi)})`,
          "pass missing: 'drop', 'ffill' or 'interpolate' (CLI: --missing drop)",
        );
      }
      rows[count++] = i;
    }
    const raw = {
      timestamps: ts,
      columns: new Map([[value, values]]),
      codes: new Int32Array(0),
      symbols: table.symbols,
      locate: (row: number) => ({
        ...(file ? { file } : {}),
        line: lineOf(table.records[row]),
        column,
        columnName: symbol,
      }),
    };
    entries.push([symbol, assembleSymbol(raw, rows, symbol, policy)]);
  });
  return Panel.create(entries, { source: policy.source });
}

function toPanel({ table, lineOf }: ReadTable, file: string | undefined, o: ParsedPanelCsvOptions): Panel {
  if (o.wide) return wideToPanel(table, file, lineOf, o);
  const records = table.records;
  return assemblePanel(
    {
      timestamps: table.timestamps,
      columns: table.columns,
      codes: table.codes!,
      symbols: table.symbols,
      locate: (row) => ({ ...(file ? { file } : {}), line: lineOf(records[row]) }),
    },
    { missing: o.missing, duplicates: o.duplicates, source: file ?? 'csv', symbols: o.symbols },
  );
}

/**
 * Parses panel CSV text: a long file (`symbol,date,open,...`: one row per symbol and date) or a wide file
 * (`date,AAPL,MSFT,...`: one value column per symbol, empty where a symbol has no data yet).
 *
 * @param text - the CSV text
 * @param options - see {@link PanelCsvOptionsSchema}
 * @returns the Panel, one Series per symbol with its own ingest report
 * @throws {@link DataError} at file:line:column for everything {@link parseCsv} reports, plus: no symbol
 *   column, an empty symbol, a wide header that repeats a symbol or has an empty name, a symbol with no rows
 *   or no values, and a missing value inside a wide symbol's span under `missing: 'error'`
 * @throws {@link ValidationError} for invalid or contradictory options
 * @example
 * ```ts
 * import { parsePanelCsv } from 'stockcast';
 * const wide = parsePanelCsv('date,AAPL,MSFT\n2021-01-04,,10\n2021-01-05,1,11\n2021-01-06,2,12\n', { wide: true });
 * wide.get('AAPL').length; // 2: AAPL has no data on the first date
 * wide.columns; // ['close']
 * ```
 */
export function parsePanelCsv(text: string, options: PanelCsvOptions = {}): Panel {
  const opts = parseOptions(PanelCsvOptionsSchema, options, 'panel CSV options');
  return readTableText(text, undefined, panelSpec(opts), (read) => toPanel(read, undefined, opts));
}

/**
 * Reads a panel CSV file (long or wide, see {@link parsePanelCsv}), streaming it in chunks; or the CSV of a
 * `File`, `Blob` or `ReadableStream`.
 *
 * @param source - a file path (Node.js), or a `File`, `Blob` or `ReadableStream` (anywhere)
 * @param options - see {@link PanelCsvOptionsSchema}
 * @returns the Panel, one Series per symbol with its own ingest report
 * @throws {@link DataError} naming `file:line:column` for every problem {@link parsePanelCsv} reports, and when the file cannot be read
 * @throws {@link ValidationError} for invalid or contradictory options
 * @example
 * ```ts
 * import { readPanelCsv } from 'stockcast';
 * const stocks = await readPanelCsv('fixtures/stocks.csv'); // vega-datasets: symbol,date,price
 * stocks.symbols; // ['MSFT', 'AMZN', 'IBM', 'GOOG', 'AAPL']
 * ```
 */
export async function readPanelCsv(source: CsvSource, options: PanelCsvOptions = {}): Promise<Panel> {
  const opts = parseOptions(PanelCsvOptionsSchema, options, 'panel CSV options');
  if (source === '' || source === undefined || source === null)
    throw new DataError('expected a file path, a File or Blob, or a ReadableStream');
  if (typeof source === 'string') return readTableFile(source, panelSpec(opts), (read) => toPanel(read, source, opts));
  const text = await sourceText(source);
  const name = sourceName(source);
  return readTableText(text, name, panelSpec(opts), (read) => toPanel(read, name, opts));
}
