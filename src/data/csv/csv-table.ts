/** The CSV reading engine behind series and panel files: the fast scanner or papaparse feeding the table builder, with file:line:column errors. */
import Papa from 'papaparse';
import { DataError, type SourceLocation } from '../../errors.js';
import { platform } from '../../platform/runtime.js';
import { FastScanner, fastReadable, NeedsPapaparse } from './csv-fast.js';
import { TableBuilder, type RawCsvTable, type TableSpec } from './csv-builder.js';
import { RecordProblem } from './csv-header.js';

/** The 1-based line where record `record` (0 = header) starts, found by re-reading the text (error path only). @internal */
export function lineOfRecord(text: string, record: number, delimiter: string): number {
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

/** Turns a RecordProblem into a DataError at file:line:column; other errors pass through. @internal */
export function toDataError(
  e: unknown,
  file: string | undefined,
  lineOf: (record: number) => number,
  headerNames: string[],
): unknown {
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

/** A table read from text or a file, with the way back from a row to its line. @internal */
export interface ReadTable {
  table: RawCsvTable;
  /** The 1-based line of a record index (re-reads the source; error paths only). */
  lineOf: (record: number) => number;
}

/**
 * Reads CSV text with `then` applied to the rows; every RecordProblem, from reading or from `then`, becomes a
 * DataError at file:line:column.
 * @internal
 */
export function readTableText<T>(
  text: string,
  file: string | undefined,
  spec: TableSpec,
  then: (read: ReadTable) => T,
): T {
  let builder = new TableBuilder(spec);
  const lineOf = (record: number) => lineOfRecord(text, record, spec.delimiter);
  try {
    const bytes = new TextEncoder().encode(text);
    const { ok, crlf } = fastReadable(bytes, spec.delimiter);
    if (!ok || !readBytes(bytes, builder, spec.delimiter, crlf)) {
      builder = new TableBuilder(spec);
      const result = Papa.parse<string[]>(text, { delimiter: spec.delimiter });
      consume(builder, result.data, result.errors, 0);
    }
    return then({ table: builder.finish(file), lineOf });
  } catch (e) {
    throw toDataError(e, file, lineOf, builder.headerNames);
  }
}

/**
 * The fast path over a whole text's bytes; false (having read part of it) when the text needs papaparse, or when
 * it fails on a text with quotes: papaparse then reports what its path reports (a malformed quote before a bad
 * value, say).
 */
function readBytes(bytes: Uint8Array, builder: TableBuilder, delimiter: string, crlf: boolean): boolean {
  try {
    new FastScanner(builder, delimiter, crlf).feed(bytes, true);
    return true;
  } catch (e) {
    if (e instanceof NeedsPapaparse || (e instanceof RecordProblem && bytes.indexOf(QUOTE) >= 0)) return false;
    throw e;
  }
}

const QUOTE = 34;

/**
 * Streams a CSV file in chunks of a few MiB (never holding it as rows of strings), then applies `then` as
 * {@link readTableText} does. Files take the fast path over their bytes; a quoted field it does not read as
 * papaparse would, or mixed line breaks, anywhere send the whole file through papaparse instead.
 * @internal
 */
export async function readTableFile<T>(path: string, spec: TableSpec, then: (read: ReadTable) => T): Promise<T> {
  const lineOf = (record: number) => lineOfRecord(platform().readTextFile(path), record, spec.delimiter);
  let builder = new TableBuilder(spec);
  try {
    if (!(await readFast(path, builder, spec))) {
      builder = new TableBuilder(spec);
      await readPapa(path, builder, spec);
    }
    return then({ table: builder.finish(path), lineOf });
  } catch (e) {
    throw toDataError(e, path, lineOf, builder.headerNames);
  }
}

/** The fast path over a file's byte chunks; false (having read part of it) when the file needs papaparse. */
async function readFast(path: string, builder: TableBuilder, spec: TableSpec): Promise<boolean> {
  const stream = platform().fileByteStream(path);
  let scanner: FastScanner | undefined;
  let crlf: boolean | undefined;
  // The unread end of the last chunk: a partial line (or, before the header and date format are known, more).
  let rest: Uint8Array = new Uint8Array(0);
  const size = sizer(builder, stream.expectedBytes);
  let consumed = 0;
  let quotes = false;
  // Reads the complete lines of `bytes`; false when they need papaparse.
  const lines = (bytes: Uint8Array): boolean => {
    const complete = bytes.subarray(0, bytes.lastIndexOf(10) + 1);
    const check = fastReadable(complete, spec.delimiter, crlf);
    if (!check.ok) return false;
    if (crlf === undefined && complete.length > 0) crlf = check.crlf;
    // Copies (a Buffer's slice() is a view, and the chunk's memory is read into again).
    if (crlf === undefined) {
      rest = new Uint8Array(bytes);
      return true;
    }
    scanner ??= new FastScanner(builder, spec.delimiter, crlf);
    rest = new Uint8Array(bytes.subarray(scanner.feed(complete, false)));
    return true;
  };
  try {
    for await (const chunk of stream) {
      quotes ||= chunk.indexOf(QUOTE) >= 0;
      if (scanner?.streaming && rest.length > 0) {
        // Finish the partial line with the head of this chunk, then read the chunk in place (no copy of it).
        const nl = chunk.indexOf(10);
        if (nl < 0) {
          rest = concat(rest, chunk);
          continue;
        }
        if (!lines(concat(rest, chunk.subarray(0, nl + 1)))) return false;
        if (!lines(chunk.subarray(nl + 1))) return false;
      } else if (!lines(rest.length > 0 ? concat(rest, chunk) : chunk)) return false;
      consumed += chunk.length;
      if (scanner?.streaming) size(consumed - rest.length);
    }
  } catch (e) {
    // A failure in a file with quotes: papaparse reports what its path reports (as readBytes).
    if (e instanceof NeedsPapaparse || (e instanceof RecordProblem && quotes)) return false;
    if (e instanceof RecordProblem) throw e;
    throw new DataError(`cannot read file: ${(e as Error).message}`, { file: path }, { cause: e });
  } finally {
    stream.destroy();
  }
  if (!fastReadable(rest, spec.delimiter, crlf).ok) return false;
  try {
    (scanner ?? new FastScanner(builder, spec.delimiter, crlf === true)).feed(rest, true);
  } catch (e) {
    if (e instanceof NeedsPapaparse || (e instanceof RecordProblem && quotes)) return false;
    throw e;
  }
  return true;
}

/**
 * Sizes the builder's columns from the file's size: after the first chunk, and whenever the room left would not
 * hold another chunk's rows, to the rows so far scaled by the bytes left, 5% more and a chunk's rows (so the
 * columns need no doubling and, in a file of lines of one length, no trimming copy at the end). `bytes` is the
 * file's bytes read so far in whole lines.
 */
function sizer(builder: TableBuilder, expectedBytes: number | undefined): (bytes: number) => void {
  let rows = 0;
  let sized = false;
  return (bytes) => {
    if (expectedBytes === undefined || builder.rows === 0 || bytes <= 0) return;
    const chunkRows = builder.rows - rows;
    rows = builder.rows;
    if (sized && builder.capacity >= rows + 1.5 * chunkRows) return;
    builder.reserve(rows * (expectedBytes / bytes) * 1.05 + chunkRows + 16);
    sized = true;
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Papaparse over a file's chunks (quoted fields, mixed line breaks). */
async function readPapa(path: string, builder: TableBuilder, spec: TableSpec): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const stream = platform().textFileStream(path);
    stream.on('error', (err) =>
      reject(new DataError(`cannot read file: ${err.message}`, { file: path }, { cause: err })),
    );
    let first = 0;
    Papa.parse<string[]>(stream as unknown as File, {
      delimiter: spec.delimiter,
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
}
