/** CSV ingestion: `parseCsv` for text and streaming `readCsv` for files, both built on papaparse. */
import { createReadStream, readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { z } from 'zod';
import { DataError, type SourceLocation } from '../errors.js';
import { parseOptions } from '../validate.js';
import { vocabulary as v } from '../vocabulary.js';
import { assembleSeries, DuplicatePolicySchema, MissingPolicySchema } from './assemble.js';
import { compileDateFormat, detectDateFormat, type DateParser } from './dates.js';
import type { Series } from './series.js';

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
    /** Field values that mean "missing" (default: empty, `null`, `NA`, `N/A`, `NaN`, `nan`, `-`). */
    naValues: v.naValues.withDefault(),
    /** Symbol stored in the Series' metadata. */
    symbol: z.string().min(1).optional(),
  })
  .strict();

/** Options of {@link parseCsv} and {@link readCsv}, as accepted (before defaults). */
export type CsvOptions = z.input<typeof CsvOptionsSchema>;
type ParsedCsvOptions = z.output<typeof CsvOptionsSchema>;

const DATE_NAMES = ['date', 'timestamp', 'time', 'datetime'];
const DETECTION_SAMPLE = 1000;

/** Thrown inside the parser with a record index; turned into a DataError with a line once the line is known. */
class RecordProblem extends Error {
  constructor(
    readonly record: number,
    readonly column: number | undefined,
    readonly problem: string,
    readonly hint?: string,
  ) {
    super(problem);
  }
}

/** Accumulates parsed records into growable typed columns. */
class TableBuilder {
  private dateIndex = -1;
  private kept: { name: string; index: number }[] = [];
  private width = 0;
  private parseDate: DateParser | undefined;
  private readonly na: Set<string>;
  private n = 0;
  private ts = new Float64Array(1024);
  private cols: Float64Array[] = [];
  private records = new Int32Array(1024);
  headerNames: string[] = [];
  /** The format auto-detection chose, once it has run. */
  detectedFormat: string | undefined;

  constructor(private readonly opts: ParsedCsvOptions) {
    this.na = new Set(opts.naValues);
    if (opts.dateFormat !== 'auto') this.parseDate = compileDateFormat(opts.dateFormat);
  }

  header(fields: string[]): void {
    // An empty header (pandas writes one over its index) is named like pandas reads it: "Unnamed: i".
    const names = fields.map((f, i) => (i === 0 ? f.replace(/^\ufeff/, '') : f).trim() || `Unnamed: ${i}`);
    this.headerNames = names;
    this.width = names.length;
    const seen = new Set<string>();
    names.forEach((name, i) => {
      if (seen.has(name)) throw new RecordProblem(0, i + 1, `duplicate column name "${name}" in the header`);
      seen.add(name);
    });
    const list = names.map((c) => `"${c}"`).join(', ');
    this.dateIndex = this.opts.dateColumn ? names.indexOf(this.opts.dateColumn) : names.findIndex((c) => DATE_NAMES.includes(c.toLowerCase()));
    if (this.dateIndex < 0) {
      const what = this.opts.dateColumn ? `no date column "${this.opts.dateColumn}"` : 'no date column (looked for date, timestamp, time, datetime)';
      throw new RecordProblem(0, undefined, `${what}: the header has ${list}`, 'pass dateColumn: "<name>" (CLI: --date-column <name>)');
    }
    const wanted = this.opts.columns ?? names.filter((_, i) => i !== this.dateIndex);
    if (wanted.length === 0) throw new RecordProblem(0, undefined, `no value columns besides the date column "${names[this.dateIndex]}"`);
    this.kept = wanted.map((name) => {
      const index = names.indexOf(name);
      if (index < 0 || index === this.dateIndex) throw new RecordProblem(0, undefined, `no value column "${name}": the header has ${list}`);
      return { name, index };
    });
    this.cols = this.kept.map(() => new Float64Array(1024));
  }

  push(rows: string[][], firstRecord: number): void {
    if (!this.parseDate) this.detect(rows, firstRecord);
    const parseDate = this.parseDate!;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      const record = firstRecord + r;
      if (row.length === 1 && row[0] === '') continue; // a blank line holds no data
      if (row.length !== this.width) {
        throw new RecordProblem(record, Math.min(row.length, this.width) + 1, `expected ${this.width} fields like the header, received ${row.length}`);
      }
      if (this.n === this.ts.length) this.grow();
      const dateText = row[this.dateIndex].trim();
      const t = parseDate(dateText);
      if (Number.isNaN(t)) {
        throw new RecordProblem(record, this.dateIndex + 1, `cannot parse date "${dateText}" with format ${this.formatName()}`, 'pass dateFormat, e.g. "yyyy-MM-dd" or "yyyy.M.d" (CLI: --date-format)');
      }
      this.ts[this.n] = t;
      for (let c = 0; c < this.kept.length; c++) {
        const text = row[this.kept[c].index];
        const v = +text;
        if (text.length === 0 || !Number.isFinite(v)) {
          const trimmed = text.trim();
          if (this.na.has(trimmed)) {
            if (this.opts.missing === 'error') {
              const shown = trimmed === '' ? 'blank value' : `missing value "${trimmed}"`;
              throw new RecordProblem(record, this.kept[c].index + 1, `${shown} where a number was expected`, "pass missing: 'drop', 'ffill' or 'interpolate' (CLI: --missing drop)");
            }
            this.cols[c][this.n] = Number.NaN;
            continue;
          }
          throw new RecordProblem(record, this.kept[c].index + 1, `expected a number, received "${text}"`, 'choose the numeric columns with the columns option');
        }
        this.cols[c][this.n] = v;
      }
      this.records[this.n] = record;
      this.n++;
    }
  }

  private detect(rows: string[][], firstRecord: number): void {
    const samples: string[] = [];
    for (const row of rows) {
      if (samples.length >= DETECTION_SAMPLE) break;
      const v = row[this.dateIndex]?.trim();
      if (v) samples.push(v);
    }
    if (samples.length === 0) return this.setFormat('iso');
    const found = detectDateFormat(samples);
    if ('format' in found) return this.setFormat(found.format);
    const problem =
      found.error === 'ambiguous'
        ? `ambiguous date format: ${found.candidates.join(' and ')} all read "${samples[0]}" and the following dates differently`
        : `cannot detect the date format of "${samples[0]}": tried ${found.candidates.join(', ')}`;
    throw new RecordProblem(firstRecord, this.dateIndex + 1, problem, 'pass dateFormat explicitly (CLI: --date-format)');
  }

  private setFormat(format: string): void {
    this.detectedFormat = format;
    this.parseDate = compileDateFormat(format);
  }

  private formatName(): string {
    return this.opts.dateFormat === 'auto' ? `${this.detectedFormat} (auto-detected)` : `"${this.opts.dateFormat}"`;
  }

  private grow(): void {
    const size = this.ts.length * 2;
    const grown = (a: Float64Array) => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.ts = grown(this.ts);
    this.cols = this.cols.map(grown);
    const rec = new Int32Array(size);
    rec.set(this.records);
    this.records = rec;
  }

  finish(file: string | undefined, lineOf: (record: number) => number): Series {
    if (this.headerNames.length === 0) throw new DataError('empty file: expected a header line and data rows', { file });
    if (this.n === 0) throw new DataError(`no data rows after the header (${this.headerNames.join(', ')})`, { file, line: 2 });
    const columns = new Map(this.kept.map((k, c) => [k.name, this.cols[c].slice(0, this.n)] as const));
    const records = this.records;
    return assembleSeries(
      { timestamps: this.ts.slice(0, this.n), columns, locate: (row) => ({ ...(file ? { file } : {}), line: lineOf(records[row]) }) },
      { missing: this.opts.missing, duplicates: this.opts.duplicates },
      { source: file ?? 'csv', ...(this.opts.symbol ? { symbol: this.opts.symbol } : {}) },
    );
  }
}

/** The 1-based line where record `record` (0 = header) starts, found by re-reading the text (error path only). */
function lineOfRecord(text: string, record: number, delimiter: string): number {
  let index = 0;
  let start = 0;
  let cursor = 0;
  Papa.parse<string[]>(text, {
    delimiter,
    step: (result, parser) => {
      if (index === record) {
        start = cursor;
        parser.abort();
        return;
      }
      cursor = result.meta.cursor;
      index++;
    },
  });
  const body = text.replace(/^\ufeff/, '');
  let line = 1;
  for (let i = 0; i < start && i < body.length; i++) if (body.charCodeAt(i) === 10) line++;
  // The cursor stops before a record's line break in CRLF/LF files; skip it.
  return record > 0 && (body[start] === '\n' || body[start] === '\r') ? line + 1 : line;
}

function toDataError(e: unknown, file: string | undefined, lineOf: (record: number) => number, headerNames: string[]): unknown {
  if (!(e instanceof RecordProblem)) return e;
  const location: SourceLocation = { ...(file ? { file } : {}), line: lineOf(e.record) };
  if (e.column !== undefined) {
    location.column = e.column;
    if (headerNames[e.column - 1] !== undefined && e.record > 0) location.columnName = headerNames[e.column - 1];
  }
  return new DataError(e.problem, location, e.hint ? { hint: e.hint } : {});
}

function consume(builder: TableBuilder, data: string[][], errors: Papa.ParseError[], first: number): number {
  if (errors.length > 0 && errors[0].type === 'Quotes') {
    throw new RecordProblem(first + (errors[0].row ?? 0), undefined, `malformed quotes: ${errors[0].message}`);
  }
  let start = 0;
  if (first === 0 && data.length > 0) {
    builder.header(data[0]);
    start = 1;
  }
  builder.push(start === 0 ? data : data.slice(1), first + start);
  return first + data.length;
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
  return parseCsvAt(text, undefined, parseOptions(CsvOptionsSchema, options, 'CSV options'));
}

function parseCsvAt(text: string, file: string | undefined, opts: ParsedCsvOptions): Series {
  const builder = new TableBuilder(opts);
  const lineOf = (record: number) => lineOfRecord(text, record, opts.delimiter);
  try {
    const result = Papa.parse<string[]>(text, { delimiter: opts.delimiter });
    consume(builder, result.data, result.errors, 0);
    return builder.finish(file, lineOf);
  } catch (e) {
    throw toDataError(e, file, lineOf, builder.headerNames);
  }
}

/**
 * Reads a CSV file into a {@link Series}, streaming it in chunks so large files are never held as rows of strings.
 *
 * @param path - the file path
 * @param options - see {@link CsvOptionsSchema}
 * @returns the Series, sorted ascending, with an ingestion report in `meta.ingest`
 * @throws {@link DataError} naming `file:line:column` for every problem {@link parseCsv} reports, and when the file cannot be read
 * @throws {@link ValidationError} for invalid options
 * @example
 * ```ts
 * import { readCsv } from 'stockcast';
 * const ncsoft = await readCsv('fixtures/ncsoft-weekly.csv');
 * ncsoft.length; // 23
 * ```
 */
export async function readCsv(path: string, options: CsvOptions = {}): Promise<Series> {
  const opts = parseOptions(CsvOptionsSchema, options, 'CSV options');
  const builder = new TableBuilder(opts);
  const lineOf = (record: number) => lineOfRecord(readFileSync(path, 'utf8'), record, opts.delimiter);
  try {
    await new Promise<void>((resolve, reject) => {
      const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
      stream.on('error', (err) => reject(new DataError(`cannot read file: ${err.message}`, { file: path }, { cause: err })));
      let first = 0;
      Papa.parse<string[]>(stream as unknown as File, {
        delimiter: opts.delimiter,
        chunk: (result, parser) => {
          try {
            first = consume(builder, result.data, result.errors, first);
          } catch (e) {
            reject(e); // before abort(), which calls complete()
            parser.abort();
            stream.destroy();
          }
        },
        complete: () => resolve(),
        error: (err: Error) => reject(new DataError(`cannot parse CSV: ${err.message}`, { file: path }, { cause: err })),
      });
    });
    return builder.finish(path, lineOf);
  } catch (e) {
    throw toDataError(e, path, lineOf, builder.headerNames);
  }
}
