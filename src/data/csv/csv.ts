/** CSV ingestion: `parseCsv` for text and `readCsv` for files (streamed), `File`s, `Blob`s and `ReadableStream`s, all built on papaparse. */
import { z } from 'zod';
import { parseOptions } from '../../validate.js';
import { vocabulary as v } from '../../vocabulary.js';
import { assembleSeries, DuplicatePolicySchema, MissingPolicySchema } from '../assemble.js';
import { readTableFile, readTableText, type ReadTable } from './csv-table.js';
import type { TableSpec } from './csv-builder.js';
import { sourceName, sourceText, type CsvSource } from './csv-source.js';
import type { Series } from '../series.js';

/** Options of {@link parseCsv} and {@link readCsv}. */
export const CsvOptionsSchema = z
  .object({
    /** The date column; default: the first column named date, Date, timestamp, time or datetime (any case). */
    dateColumn: z.string().min(1).optional(),
    /** `auto` (default), `iso`, `epoch-s`, `epoch-ms`, or a date-fns format such as `yyyy.M.d` or `MM/dd/yyyy`. Dates are read as UTC. */
    dateFormat: z.string().min(1).default('auto'),
    /** Columns to keep (default: every column except the date). Names are the header's, trimmed (`Adj Close`). */
    columns: z.array(z.string().min(1)).min(1).optional(),
    /** Missing values (see `naValues`): `error` (default), `drop` the row, `ffill`, or `interpolate` in time. */
    missing: MissingPolicySchema.default('error'),
    /** Repeated dates: `error` (default), keep the `first` or the `last` in file order. */
    duplicates: DuplicatePolicySchema.default('error'),
    /** Field delimiter (default `,`). */
    delimiter: z.string().length(1).default(','),
    /**
     * Cell texts that mean "missing", matched after trimming surrounding whitespace (so a blank or
     * whitespace-only cell is the token `''`). Default: {@link DEFAULT_NA_VALUES}, pandas' default `na_values`.
     * A list given here replaces the default; a numeric sentinel such as `-999` is allowed.
     */
    naValues: v.naValues.withDefault(),
    /** Symbol stored in the Series' metadata. */
    symbol: z.string().min(1).optional(),
  })
  .strict();

/** Options of {@link parseCsv} and {@link readCsv}, as accepted (before defaults). */
export type CsvOptions = z.input<typeof CsvOptionsSchema>;
type ParsedCsvOptions = z.output<typeof CsvOptionsSchema>;

function seriesSpec(opts: ParsedCsvOptions): TableSpec {
  return {
    layout: 'series',
    dateColumn: opts.dateColumn,
    dateFormat: opts.dateFormat,
    columns: opts.columns,
    naValues: opts.naValues,
    missing: opts.missing,
    delimiter: opts.delimiter,
  };
}

function toSeries({ table, lineOf }: ReadTable, file: string | undefined, opts: ParsedCsvOptions): Series {
  const records = table.records;
  return assembleSeries(
    {
      timestamps: table.timestamps,
      columns: table.columns,
      locate: (row) => ({ ...(file ? { file } : {}), line: lineOf(records[row]) }),
      owned: true, // the builder's columns, made for this Series alone
    },
    { missing: opts.missing, duplicates: opts.duplicates },
    { source: file ?? 'csv', ...(opts.symbol ? { symbol: opts.symbol } : {}) },
  );
}

/**
 * Parses CSV text into a {@link Series}.
 *
 * @param text - the CSV text: a header line, then one row per date (BOM, CRLF and quoted fields are handled)
 * @param options - see {@link CsvOptionsSchema}
 * @returns the Series, sorted ascending, with an ingestion report in `meta.ingest`
 * @throws {@link DataError} with line and column for empty input, a missing date column, unparseable dates,
 *   non-numeric values, ragged rows, duplicate dates and missing values under `missing: 'error'`
 * @throws {@link ValidationError} for invalid options
 * @example
 * ```ts
 * import { parseCsv } from 'stockcast';
 * const s = parseCsv('date,num_search,stock_price\n2021.3.21,38,932000\n2021.3.28,39,834000\n');
 * s.column('stock_price'); // Float64Array [932000, 834000]
 * ```
 */
export function parseCsv(text: string, options: CsvOptions = {}): Series {
  const opts = parseOptions(CsvOptionsSchema, options, 'CSV options');
  return readTableText(text, undefined, seriesSpec(opts), (read) => toSeries(read, undefined, opts));
}

/**
 * Reads a CSV file into a {@link Series}, streaming it in chunks so large files are never held as rows of strings;
 * or the CSV of a `File` or `Blob` (a browser's file input or drop), or of a `ReadableStream` (a `fetch` body).
 *
 * @param source - a file path (Node.js), or a `File`, `Blob` or `ReadableStream` (anywhere)
 * @param options - see {@link CsvOptionsSchema}
 * @returns the Series, sorted ascending, with an ingestion report in `meta.ingest`
 * @throws {@link DataError} naming `file:line:column` for every problem {@link parseCsv} reports (a File's name
 *   stands for the file), when the source cannot be read, and for a path in a browser
 * @throws {@link ValidationError} for invalid options
 * @example
 * ```ts
 * import { readCsv } from 'stockcast';
 * const ncsoft = await readCsv('fixtures/ncsoft-weekly.csv');
 * ncsoft.length; // 23
 * ```
 */
export async function readCsv(source: CsvSource, options: CsvOptions = {}): Promise<Series> {
  const opts = parseOptions(CsvOptionsSchema, options, 'CSV options');
  if (typeof source === 'string')
    return readTableFile(source, seriesSpec(opts), (read) => toSeries(read, source, opts));
  const text = await sourceText(source);
  const name = sourceName(source);
  return readTableText(text, name, seriesSpec(opts), (read) => toSeries(read, name, opts));
}
