/**
 * The fast path of CSV reading: UTF-8 bytes with one kind of line break are split into lines and fields by offsets,
 * number cells read in the same pass (csv-number.ts), and handed to the table builder, which makes strings only for
 * the cells that need one. Simply quoted fields (`"..."` with no quote or line break inside, the delimiter or the
 * line's end right after) are read in place; anything else quoted, or line breaks that are not all LF or all CRLF,
 * is left to papaparse (the caller falls back), so both paths read every file the same way.
 */
import { scanNumber } from './csv-number.js';

/** Thrown by the scanner at a quoted field it does not read as papaparse would: the caller reads the file with papaparse. @internal */
export class NeedsPapaparse extends Error {}

/** Where the scanner's rows go (the table builder of csv-builder.ts). @internal */
export interface RowSink {
  header(fields: string[]): void;
  readonly hasDateFormat: boolean;
  /** Once the header is read: 1 for each file column whose cells the scanner reads as numbers. */
  readonly numberColumns: Uint8Array;
  detectFrom(rows: string[][], firstRecord: number): void;
  /**
   * One line's fields by offsets; `values[i]` is field i read as a number where it is a number column (NaN when
   * the cell needs the general path).
   */
  pushFields(
    bytes: Uint8Array,
    fields: { starts: Int32Array; ends: Int32Array; values: Float64Array },
    count: number,
    record: number,
  ): void;
}

const DETECTION_LINES = 1000;
const QUOTE = 34;
const CR = 13;
const LF = 10;
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
// A delimiter that can be part of a number (a digit, sign, point or exponent) leaves numbers to the general path.
const NUMBER_BYTES = new Set([...'0123456789+-.eE'].map((ch) => ch.charCodeAt(0)));

// Node's native one-byte decoder (ASCII is Latin-1), where there is one; a browser builds the string from codes.
type Latin1Slice = (this: Uint8Array, start: number, end: number) => string;
const latin1Slice = (globalThis as { Buffer?: { prototype: { latin1Slice?: Latin1Slice } } }).Buffer?.prototype
  .latin1Slice;

/** The text of bytes `[start, end)`: short ASCII fields without a decoder call, anything else through UTF-8. @internal */
export function fieldText(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 64) {
    let ascii = true;
    for (let i = start; i < end; i++) if (bytes[i] > 127) ascii = false;
    if (ascii && latin1Slice) return latin1Slice.call(bytes, start, end);
    if (ascii) return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  }
  return utf8.decode(bytes.subarray(start, end));
}

/**
 * Whether the fast path can read these bytes as papaparse would: a single-byte delimiter and line breaks all LF or
 * all CRLF (`crlf`, once known from earlier chunks, must not change); quoted fields are checked as they are read
 * ({@link NeedsPapaparse}). @internal
 */
export function fastReadable(bytes: Uint8Array, delimiter: string, crlf?: boolean): { ok: boolean; crlf: boolean } {
  if (delimiter.length !== 1 || delimiter.charCodeAt(0) > 127 || delimiter.charCodeAt(0) === QUOTE)
    return { ok: false, crlf: false };
  let crs = 0;
  for (let i = bytes.indexOf(CR); i >= 0; i = bytes.indexOf(CR, i + 1)) {
    if (bytes[i + 1] !== LF) return { ok: false, crlf: true };
    crs++;
  }
  const hasLf = bytes.indexOf(LF) >= 0;
  if (crs === 0) return { ok: crlf !== true || !hasLf, crlf: crlf ?? false };
  // Every CR starts a CRLF (checked above); every LF must end one.
  let lfs = 0;
  for (let i = bytes.indexOf(LF); i >= 0; i = bytes.indexOf(LF, i + 1)) lfs++;
  return { ok: lfs === crs && crlf !== false, crlf: true };
}

/** Splits lines into field offsets and feeds them to a row sink, across chunks. @internal */
export class FastScanner {
  // The current line's fields (reused from line to line).
  private readonly fields = { starts: new Int32Array(64), ends: new Int32Array(64), values: new Float64Array(0) };
  private numeric: Uint8Array = new Uint8Array(0);
  private record = 0;
  private readonly delimiter: number;

  constructor(
    private readonly sink: RowSink,
    delimiter: string,
    private readonly crlf: boolean,
  ) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** Past the header and the date format's detection: every later call reads whole lines as they come. */
  get streaming(): boolean {
    return this.record > 0 && this.sink.hasDateFormat;
  }

  /**
   * Reads the complete lines of `bytes` (all of them when `last`, else up to the last line break).
   * @returns the offset where the unread rest starts
   */
  feed(bytes: Uint8Array, last: boolean): number {
    // An empty file has no header line at all (papaparse reads no record from it).
    if (this.record === 0 && bytes.length === 0) return 0;
    let pos = this.record === 0 || !this.sink.hasDateFormat ? this.prelude(bytes, last) : 0;
    if (!this.sink.hasDateFormat) return pos;
    for (;;) {
      let nl = bytes.indexOf(LF, pos);
      if (nl < 0) {
        if (!last || pos >= bytes.length) return pos;
        nl = bytes.length;
      }
      this.line(bytes, pos, nl);
      pos = nl + 1;
    }
  }

  /** The header line, then the date format detected from the lines that follow (as the papaparse path does). */
  private prelude(bytes: Uint8Array, last: boolean): number {
    let pos = 0;
    if (this.record === 0) {
      const nl = bytes.indexOf(LF);
      if (nl < 0 && !last) return 0;
      this.sink.header(this.split(bytes, 0, nl < 0 ? bytes.length : nl));
      this.record = 1;
      const numeric = this.sink.numberColumns;
      this.numeric = NUMBER_BYTES.has(this.delimiter) ? new Uint8Array(numeric.length) : numeric;
      // NaN (the general path) for every column the scanner does not read as numbers.
      this.fields.values = new Float64Array(numeric.length).fill(Number.NaN);
      pos = nl < 0 ? bytes.length : nl + 1;
    }
    if (this.sink.hasDateFormat) return pos;
    const rows: string[][] = [];
    let at = pos;
    while (rows.length < DETECTION_LINES && at < bytes.length) {
      let nl = bytes.indexOf(LF, at);
      if (nl < 0) {
        if (!last) break;
        nl = bytes.length;
      }
      // Blank lines hold no date: they do not count towards the sample.
      if (nl > at + (this.crlf ? 1 : 0)) rows.push(this.split(bytes, at, nl));
      at = nl + 1;
    }
    // Detect once a full sample (or the whole text) is in hand; papaparse's path samples its first chunk likewise.
    if (rows.length >= DETECTION_LINES || last) this.sink.detectFrom(rows, this.record);
    return pos;
  }

  /** Splits one line into fields, reading the number columns' cells on the way (one pass over the bytes). */
  private line(bytes: Uint8Array, start: number, nl: number): void {
    const end = this.crlf && nl > start && bytes[nl - 1] === CR ? nl - 1 : nl;
    const delimiter = this.delimiter;
    const numeric = this.numeric;
    const fields = this.fields;
    let count = 0;
    let from = start;
    for (;;) {
      if (count === fields.starts.length) this.growOffsets();
      const number = count < numeric.length && numeric[count] === 1;
      let stop: number;
      if (from < end && bytes[from] === QUOTE) stop = this.quoted(bytes, from, end, count, number);
      else {
        stop = from;
        if (number) stop = scanNumber(bytes, from, end, delimiter, fields.values, count);
        else while (stop < end && bytes[stop] !== delimiter) stop++;
        fields.starts[count] = from;
        fields.ends[count] = stop;
      }
      count++;
      if (stop >= end) break;
      from = stop + 1;
    }
    this.sink.pushFields(bytes, fields, count, this.record++);
  }

  /**
   * Field `count`, quoted, from its opening quote at `from`: its content is the field (read as a number when
   * `number`).
   * @returns the offset after the closing quote (the delimiter, or the line's end)
   * @throws {@link NeedsPapaparse} for a quote inside (escaped as `""`), a line break inside, or anything between
   *   the closing quote and the delimiter
   */
  private quoted(bytes: Uint8Array, from: number, end: number, count: number, number: boolean): number {
    const fields = this.fields;
    let close = from + 1;
    // A number stops at the closing quote; a delimiter inside makes it NaN (the general path then reads the text).
    if (number) close = scanNumber(bytes, from + 1, end, QUOTE, fields.values, count);
    else while (close < end && bytes[close] !== QUOTE) close++;
    if (close >= end || (close + 1 < end && bytes[close + 1] !== this.delimiter)) throw new NeedsPapaparse();
    fields.starts[count] = from + 1;
    fields.ends[count] = close;
    return close + 1;
  }

  /** A line's fields as text (the header and the date-detection sample), quoted ones without their quotes. */
  private split(bytes: Uint8Array, start: number, nl: number): string[] {
    const end = this.crlf && nl > start && bytes[nl - 1] === CR ? nl - 1 : nl;
    const out: string[] = [];
    for (let from = start; ; ) {
      let stop = from;
      if (from < end && bytes[from] === QUOTE) {
        stop = from + 1;
        while (stop < end && bytes[stop] !== QUOTE) stop++;
        if (stop >= end || (stop + 1 < end && bytes[stop + 1] !== this.delimiter)) throw new NeedsPapaparse();
        out.push(fieldText(bytes, from + 1, stop++));
      } else {
        while (stop < end && bytes[stop] !== this.delimiter) stop++;
        out.push(fieldText(bytes, from, stop));
      }
      if (stop >= end) return out;
      from = stop + 1;
    }
  }

  private growOffsets(): void {
    const grow = (a: Int32Array) => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.fields.starts = grow(this.fields.starts);
    this.fields.ends = grow(this.fields.ends);
  }
}
