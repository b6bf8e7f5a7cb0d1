/** The CSV table builder: parsed records (from papaparse or the fast scanner) into growable typed columns, dates and symbols resolved, bad cells reported by record. */
import { DataError } from '../../errors.js';
import type { MissingPolicy } from '../assemble.js';
import { describeBadCell, isDecimalText } from '../cells.js';
import { compileDateFormat, detectDateFormat, parseIsoBytes, type DateParser } from '../dates.js';
import { fieldText } from './csv-fast.js';
import {
  checkUniqueNames,
  dateColumnIndex,
  headerColumnNames,
  RecordProblem,
  symbolColumnIndex,
  valueColumns,
} from './csv-header.js';

const DETECTION_SAMPLE = 1000;

/** How to read a table: a single series, a long panel (a symbol column), or a wide panel (one column per symbol). @internal */
export interface TableSpec {
  layout: 'series' | 'long' | 'wide';
  dateColumn?: string | undefined;
  dateFormat: string;
  /** Value columns to keep (series and long layouts). */
  columns?: string[] | undefined;
  naValues: string[];
  missing: MissingPolicy;
  delimiter: string;
  /** Long layout: the symbol column (default: a column named symbol or ticker, any case). */
  symbolColumn?: string | undefined;
  /** Panel layouts: the symbols to keep, in this order (wide: their columns). */
  symbols?: string[] | undefined;
}

/** The rows read, in file order; missing values are NaN. @internal */
export interface RawCsvTable {
  timestamps: Float64Array;
  columns: Map<string, Float64Array>;
  /** The record index (0 = header) of each row, for line numbers. */
  records: Int32Array;
  /** Long layout: the symbol of each row, as an index into `symbols`. */
  codes: Int32Array | undefined;
  /** Long layout: symbols in order of first appearance. Wide layout: the value columns. */
  symbols: string[];
  /** Wide layout: the 1-based file column of each symbol. */
  symbolColumns: number[];
  headerNames: string[];
}

/** Accumulates parsed records into growable typed columns. @internal */
export class TableBuilder {
  private dateIndex = -1;
  private symbolIndex = -1;
  private kept: { name: string; index: number }[] = [];
  private keptIndex = new Int32Array(0);
  private width = 0;
  private parseDate: DateParser | undefined;
  private readonly na: Set<string>;
  /** Whether a missing-value token is itself a number (a sentinel such as -999), so numbers must be checked too. */
  private readonly numericNa: boolean;
  private n = 0;
  /** Whether {@link reserve} has sized the columns for the rows to expect. */
  private sized = false;
  private ts = new Float64Array(1024);
  private cols: Float64Array[] = [];
  private records = new Int32Array(1024);
  // Long layout only (a series or wide file has no symbol column).
  private codes = new Int32Array(0);
  private readonly symbolCode = new Map<string, number>();
  private readonly symbolNames: string[] = [];
  private readonly wanted: Set<string> | undefined;
  headerNames: string[] = [];
  /** The format auto-detection chose, once it has run. */
  detectedFormat: string | undefined;
  /** Whether dates are ISO 8601, which the byte path reads without making strings. */
  private isoDates: boolean;
  // The row being read: papaparse's fields, or the fast path's bytes and field offsets (no closure per row).
  private row: string[] | undefined;
  private bytes: Uint8Array = new Uint8Array(0);
  private starts: Int32Array = new Int32Array(0);
  private ends: Int32Array = new Int32Array(0);

  constructor(private readonly spec: TableSpec) {
    this.na = new Set(spec.naValues.map((t) => t.trim()));
    this.numericNa = [...this.na].some((t) => t !== '' && Number.isFinite(+t));
    if (spec.dateFormat !== 'auto') this.parseDate = compileDateFormat(spec.dateFormat);
    this.isoDates = spec.dateFormat === 'iso';
    if (spec.layout === 'long' && spec.symbols) this.wanted = new Set(spec.symbols);
  }

  header(fields: string[]): void {
    const wide = this.spec.layout === 'wide';
    const names = headerColumnNames(fields);
    this.headerNames = names;
    this.width = names.length;
    checkUniqueNames(names, wide);
    this.dateIndex = dateColumnIndex(names, this.spec.dateColumn);
    if (this.spec.layout === 'long')
      this.symbolIndex = symbolColumnIndex(names, this.spec.symbolColumn, this.dateIndex);
    const wanted = wide ? this.spec.symbols : this.spec.columns;
    this.kept = valueColumns(fields, names, wanted, { dateIndex: this.dateIndex, symbolIndex: this.symbolIndex }, wide);
    this.keptIndex = Int32Array.from(this.kept, (k) => k.index);
    this.cols = this.kept.map(() => new Float64Array(this.ts.length));
    if (this.symbolIndex >= 0) this.codes = new Int32Array(this.ts.length);
  }

  push(rows: string[][], firstRecord: number): void {
    if (!this.parseDate) this.detect(rows, firstRecord);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      const record = firstRecord + r;
      if (row.length === 1 && row[0] === '') continue; // a blank line holds no data
      this.row = row;
      if (!this.startRow(row.length, record)) continue;
      for (let c = 0; c < this.kept.length; c++) this.cell(row[this.kept[c].index], record, c);
      this.endRow(record);
    }
  }

  /**
   * Reads one unquoted line of UTF-8 bytes whose fields start and end at the given offsets, its number columns
   * already read by the scanner: a cell it could not read (NaN) goes through the same checks as {@link push}.
   * @internal
   */
  pushFields(
    bytes: Uint8Array,
    fields: { starts: Int32Array; ends: Int32Array; values: Float64Array },
    count: number,
    record: number,
  ): void {
    const { starts, ends, values } = fields;
    if (count === 1 && starts[0] === ends[0]) return; // a blank line holds no data
    // ISO dates (the common case) are read from the bytes into place; other formats get the date's text.
    if (this.n === this.ts.length) this.grow();
    const dated =
      this.isoDates && parseIsoBytes(bytes, starts[this.dateIndex], ends[this.dateIndex], this.ts, this.n) === 1;
    this.row = undefined;
    this.bytes = bytes;
    this.starts = starts;
    this.ends = ends;
    if (!this.startRow(count, record, dated)) return;
    const n = this.n;
    const keptIndex = this.keptIndex;
    for (let c = 0; c < keptIndex.length; c++) {
      const i = keptIndex[c];
      const v = values[i];
      if (!Number.isNaN(v)) this.cols[c][n] = v;
      else this.cell(fieldText(bytes, starts[i], ends[i]), record, c);
    }
    this.endRow(record);
  }

  /** 1 for each file column the fast scanner reads as numbers: the value columns, unless a missing-value token is a number. @internal */
  get numberColumns(): Uint8Array {
    const numeric = new Uint8Array(this.width);
    if (!this.numericNa) for (const i of this.keptIndex) numeric[i] = 1;
    return numeric;
  }

  /** The rows read so far. @internal */
  get rows(): number {
    return this.n;
  }

  /** The rows the columns have room for. @internal */
  get capacity(): number {
    return this.ts.length;
  }

  /** Whether the date column's format is known (else {@link detect} needs sample rows first). @internal */
  get hasDateFormat(): boolean {
    return this.parseDate !== undefined;
  }

  /** Detects the date format from sample rows, as the first call to {@link push} does. @internal */
  detectFrom(rows: string[][], firstRecord: number): void {
    if (!this.parseDate) this.detect(rows, firstRecord);
  }

  /** Field i of the current row: from papaparse's strings, or made from the fast path's bytes. */
  private field(i: number): string {
    return this.row ? this.row[i] : fieldText(this.bytes, this.starts[i], this.ends[i]);
  }

  /**
   * Checks a row's width, symbol and date and stores the date (unless `dated`: already stored); false when the
   * row's symbol is not wanted.
   */
  private startRow(width: number, record: number, dated = false): boolean {
    if (width !== this.width) {
      throw new RecordProblem(
        record,
        Math.min(width, this.width) + 1,
        `expected ${this.width} fields like the header, received ${width}`,
      );
    }
    let code = 0;
    if (this.symbolIndex >= 0) {
      const symbol = this.field(this.symbolIndex).trim();
      if (symbol === '')
        throw new RecordProblem(
          record,
          this.symbolIndex + 1,
          'empty symbol name',
          'every row of a long file needs its symbol',
        );
      if (this.wanted && !this.wanted.has(symbol)) return false;
      code = this.codeOf(symbol);
    }
    if (this.n === this.ts.length) this.grow();
    if (this.symbolIndex >= 0) this.codes[this.n] = code;
    if (dated) return true;
    const t = this.parseDate!(this.field(this.dateIndex).trim());
    if (Number.isNaN(t)) {
      const dateText = this.field(this.dateIndex).trim();
      throw new RecordProblem(
        record,
        this.dateIndex + 1,
        `cannot parse date "${dateText}" with format ${this.formatName()}`,
        'pass dateFormat, e.g. "yyyy-MM-dd" or "yyyy.M.d" (CLI: --date-format)',
      );
    }
    this.ts[this.n] = t;
    return true;
  }

  private endRow(record: number): void {
    this.records[this.n] = record;
    this.n++;
  }

  /** Reads one value cell of the current row: a decimal, a missing-value token, or a typed refusal. */
  private cell(text: string, record: number, c: number): void {
    const v = +text;
    // `+text` alone would invent numbers: " " is 0 and "0x1F" is 31. The fast path takes plain decimals only.
    if (Number.isFinite(v) && text.length > 0 && isDecimalText(text) && !(this.numericNa && this.na.has(text.trim()))) {
      this.cols[c][this.n] = v;
      return;
    }
    const trimmed = text.trim();
    if (!this.na.has(trimmed)) {
      const bad = describeBadCell(text);
      throw new RecordProblem(record, this.kept[c].index + 1, bad.problem, bad.hint);
    }
    if (this.spec.missing === 'error' && this.spec.layout !== 'wide') {
      const shown = trimmed === '' ? 'blank value' : `missing value "${trimmed}"`;
      throw new RecordProblem(
        record,
        this.kept[c].index + 1,
        `${shown} where a number was expected`,
        "pass missing: 'drop', 'ffill' or 'interpolate' (CLI: --missing drop)",
      );
    }
    this.cols[c][this.n] = Number.NaN;
  }

  private codeOf(symbol: string): number {
    let code = this.symbolCode.get(symbol);
    if (code === undefined) {
      code = this.symbolNames.length;
      this.symbolCode.set(symbol, code);
      this.symbolNames.push(symbol);
    }
    return code;
  }

  private detect(rows: string[][], firstRecord: number): void {
    const samples: string[] = [];
    for (const row of rows) {
      if (samples.length >= DETECTION_SAMPLE) break;
      const v = row[this.dateIndex]?.trim();
      if (v) samples.push(v);
    }
    if (samples.length === 0) {
      this.setFormat('iso');
      return;
    }
    const found = detectDateFormat(samples);
    if ('format' in found) {
      this.setFormat(found.format);
      return;
    }
    const problem =
      found.error === 'ambiguous'
        ? `ambiguous date format: ${found.candidates.join(' and ')} all read "${samples[0]}" and the following dates differently`
        : `cannot detect the date format of "${samples[0]}": tried ${found.candidates.join(', ')}`;
    throw new RecordProblem(
      firstRecord,
      this.dateIndex + 1,
      problem,
      'pass dateFormat explicitly (CLI: --date-format)',
    );
  }

  private setFormat(format: string): void {
    this.detectedFormat = format;
    this.parseDate = compileDateFormat(format);
    this.isoDates = format === 'iso';
  }

  private formatName(): string {
    return this.spec.dateFormat === 'auto' ? `${this.detectedFormat} (auto-detected)` : `"${this.spec.dateFormat}"`;
  }

  private grow(): void {
    // Doubling, until the rows to expect are known; then past the estimate by an eighth.
    this.resize(Math.ceil(this.ts.length * (this.sized ? 1.125 : 2)));
  }

  /**
   * Room for `rows` rows in all (a file's size over its first lines' length), so a large file is read into its
   * columns without the copies of doubling them. @internal
   */
  reserve(rows: number): void {
    this.sized = true;
    if (rows > this.ts.length) this.resize(Math.ceil(rows));
  }

  private resize(size: number): void {
    const grown = <T extends Float64Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a.subarray(0, this.n));
      return b;
    };
    this.ts = grown(this.ts);
    this.cols = this.cols.map(grown);
    this.records = grown(this.records);
    if (this.symbolIndex >= 0) this.codes = grown(this.codes);
  }

  /** The rows read; fails on an empty file or a header without rows. */
  finish(file: string | undefined): RawCsvTable {
    if (this.headerNames.length === 0)
      throw new DataError('empty file: expected a header line and data rows', { file });
    if (this.n === 0)
      throw new DataError(`no data rows after the header (${this.headerNames.join(', ')})`, { file, line: 2 });
    // The columns as they are when little room is left over (no copy of a large file's columns), else trimmed.
    const n = this.n;
    const trim = <T extends Float64Array | Int32Array>(a: T): T =>
      (a.length - n <= n / 8 ? a.subarray(0, n) : a.slice(0, n)) as T;
    return {
      timestamps: trim(this.ts),
      columns: new Map(this.kept.map((k, c) => [k.name, trim(this.cols[c])] as const)),
      records: trim(this.records),
      codes: this.spec.layout === 'long' ? trim(this.codes) : undefined,
      symbols:
        this.spec.layout === 'long'
          ? [...this.symbolNames]
          : this.spec.layout === 'wide'
            ? this.kept.map((k) => k.name)
            : [],
      symbolColumns: this.kept.map((k) => k.index + 1),
      headerNames: this.headerNames,
    };
  }
}
