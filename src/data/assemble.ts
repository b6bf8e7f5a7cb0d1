/** Turns raw ingested rows into a Series: orders them, resolves duplicate dates and applies the missing-value policy. */
import { z } from 'zod';
import { DataError, type SourceLocation } from '../errors.js';
import { Series, type IngestReport, type SeriesInit } from './series.js';

/** What to do with missing values: fail, drop the row, carry the last value forward, or interpolate linearly in time. */
export const MissingPolicySchema = z.enum(['error', 'drop', 'ffill', 'interpolate']);
/** What to do with repeated timestamps: fail, keep the first occurrence, or keep the last one (in source order). */
export const DuplicatePolicySchema = z.enum(['error', 'first', 'last']);
/** @see {@link MissingPolicySchema} */
export type MissingPolicy = z.infer<typeof MissingPolicySchema>;
/** @see {@link DuplicatePolicySchema} */
export type DuplicatePolicy = z.infer<typeof DuplicatePolicySchema>;

/** Raw rows in source order; missing values are NaN. @internal */
export interface RawTable {
  timestamps: Float64Array;
  columns: Map<string, Float64Array>;
  /** Where source row `i` is, for error messages (file and line for CSV; nothing for API data). */
  locate: (sourceRow: number) => SourceLocation;
  /** The arrays are handed over (a reader's own): the Series may keep them, and fills may write into them. */
  owned?: boolean;
}

function orderOf(ts: Float64Array): IngestReport['order'] {
  let asc = true;
  let desc = true;
  for (let i = 1; i < ts.length && (asc || desc); i++) {
    if (ts[i] < ts[i - 1]) asc = false;
    if (ts[i] > ts[i - 1]) desc = false;
  }
  if (asc) return 'ascending';
  return desc ? 'descending' : 'unsorted';
}

/** Source row indices in ascending time order; ties keep source order (a stable sort). */
function sortedOrder(ts: Float64Array, order: IngestReport['order']): Int32Array {
  const n = ts.length;
  const idx = new Int32Array(n);
  if (order === 'descending') {
    // Reverse runs of equal timestamps back into source order so "first" still means first in the file.
    let i = 0;
    let out = n;
    while (i < n) {
      let j = i;
      while (j + 1 < n && ts[j + 1] === ts[i]) j++;
      out -= j - i + 1;
      for (let k = i; k <= j; k++) idx[out + (k - i)] = k;
      i = j + 1;
    }
    return idx;
  }
  for (let i = 0; i < n; i++) idx[i] = i;
  if (order === 'unsorted') return Int32Array.from(Array.from(idx).sort((a, b) => ts[a] - ts[b] || a - b));
  return idx;
}

/** Keeps one source row per timestamp (in time order), or throws on the first repeat with `duplicates: 'error'`. */
function resolveDuplicates(
  raw: RawTable,
  sorted: Int32Array,
  duplicates: DuplicatePolicy,
): { keep: Int32Array; duplicateRows: number } {
  const n = sorted.length;
  const keep = new Int32Array(n);
  let kept = 0;
  let duplicateRows = 0;
  for (let k = 0; k < n; ) {
    let j = k;
    while (j + 1 < n && raw.timestamps[sorted[j + 1]] === raw.timestamps[sorted[k]]) j++;
    if (j > k) {
      if (duplicates === 'error') {
        const [a, b] = [sorted[k], sorted[k + 1]].sort((x, y) => x - y);
        const earlier = raw.locate(a).line;
        throw new DataError(
          `duplicate date ${new Date(raw.timestamps[a]).toISOString()}${earlier !== undefined ? `, first seen on line ${earlier}` : ''}`,
          raw.locate(b),
          { hint: "pass duplicates: 'first' or 'last' to keep one of them (CLI: --duplicates first)" },
        );
      }
      duplicateRows += j - k;
    }
    keep[kept++] = duplicates === 'last' ? sorted[j] : sorted[k];
    k = j + 1;
  }
  return { keep: keep.subarray(0, kept), duplicateRows };
}

// Loops, not every/findIndex with a callback: a callback gets each double boxed, an object per value.
/** How many of the columns miss row `row`. */
function missingIn(sources: Float64Array[], row: number): number {
  let missing = 0;
  for (let c = 0; c < sources.length; c++) if (Number.isNaN(sources[c][row])) missing++;
  return missing;
}

/** Drops rows with no value at all (`dropEmpty`), then, with `missing: 'drop'`, rows with any missing value. */
function dropRows(
  kept: Int32Array,
  sources: Float64Array[],
  policy: { missing: MissingPolicy; dropEmpty?: boolean },
): { rows: Int32Array; droppedRows: number; emptyRows: number } {
  let rows = kept;
  let droppedRows = 0;
  let emptyRows = 0;
  if (policy.dropEmpty) {
    // Rows with no value at all (a market-data bar without trades) carry nothing to fill or keep.
    let m = 0;
    for (let i = 0; i < rows.length; i++) if (missingIn(sources, rows[i]) < sources.length) rows[m++] = rows[i];
    emptyRows = rows.length - m;
    rows = rows.subarray(0, m);
  }
  if (policy.missing === 'drop') {
    let m = 0;
    for (let i = 0; i < rows.length; i++) if (missingIn(sources, rows[i]) === 0) rows[m++] = rows[i];
    droppedRows = rows.length - m;
    rows = rows.subarray(0, m);
  }
  return { rows, droppedRows, emptyRows };
}

/** The kept rows' columns, with missing values refused (`error`) or filled (`ffill`, `interpolate`). */
function fillColumns(
  raw: RawTable,
  rows: Int32Array,
  timestamps: Float64Array,
  missing: MissingPolicy,
): { columns: Map<string, Float64Array>; filledValues: number; filledRows: Set<number>; firstComplete: number } {
  const columns = new Map<string, Float64Array>();
  let filledValues = 0;
  const filledRows = new Set<number>();
  let firstComplete = 0;
  for (const [name, source] of raw.columns) {
    const values = gather(source, rows, raw.owned);
    if (missing === 'error') {
      let bad = 0;
      while (bad < values.length && !Number.isNaN(values[bad])) bad++;
      if (bad < values.length) {
        throw new DataError(
          `missing value in column "${name}" on ${new Date(timestamps[bad]).toISOString()}`,
          { ...raw.locate(rows[bad]), columnName: name },
          { hint: "pass missing: 'drop', 'ffill' or 'interpolate' (CLI: --missing drop)" },
        );
      }
    } else if (missing !== 'drop') {
      const filled = fillGaps(values, timestamps, missing, filledRows);
      filledValues += filled.filled;
      firstComplete = Math.max(firstComplete, filled.leading);
    }
    columns.set(name, values);
  }
  return { columns, filledValues, filledRows, firstComplete };
}

/**
 * Orders, de-duplicates and fills a raw table and builds the Series, reporting every row it changed.
 * @internal
 */
export function assembleSeries(
  raw: RawTable,
  policy: { missing: MissingPolicy; duplicates: DuplicatePolicy; dropEmpty?: boolean },
  meta: SeriesInit['meta'] & object,
): Series {
  const n = raw.timestamps.length;
  const order = orderOf(raw.timestamps);
  const { keep, duplicateRows } = resolveDuplicates(raw, sortedOrder(raw.timestamps, order), policy.duplicates);
  const sources = [...raw.columns.values()];
  const { rows, droppedRows, emptyRows } = dropRows(keep, sources, policy);
  const timestamps = gather(raw.timestamps, rows, raw.owned);
  const { columns, filledValues, filledRows, firstComplete } = fillColumns(raw, rows, timestamps, policy.missing);
  // Leading gaps have no earlier value to carry or interpolate from: those rows are dropped (and counted).
  const ts = timestamps.subarray(firstComplete);
  for (const [name, values] of columns) columns.set(name, values.subarray(firstComplete));
  const filledTimestamps = [...filledRows]
    .filter((r) => r >= firstComplete)
    .sort((a, b) => a - b)
    .map((r) => timestamps[r]);
  const ingest: IngestReport = {
    rowsRead: n,
    order,
    droppedRows: droppedRows + firstComplete,
    emptyRows,
    filledValues,
    duplicateRows,
    ...(filledTimestamps.length > 0
      ? { filled: { method: policy.missing as 'ffill' | 'interpolate', timestamps: filledTimestamps } }
      : {}),
  };
  // The gathered arrays are this function's own: the Series keeps them, checked, without another copy.
  return Series.owned(ts, columns, { ...meta, ingest });
}

function gather(source: Float64Array, rows: Int32Array, owned = false): Float64Array {
  // Sorted input with nothing dropped (the common case): the source itself when it is handed over, else one copy.
  if (
    rows.length === source.length &&
    rows.length > 0 &&
    rows[0] === 0 &&
    rows[rows.length - 1] === rows.length - 1 &&
    isIdentity(rows)
  )
    return owned ? source : source.slice();
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = source[rows[i]];
  return out;
}

const identityChecked = new WeakMap<Int32Array, boolean>();

/** Whether rows[i] === i throughout (checked once per array). */
function isIdentity(rows: Int32Array): boolean {
  let known = identityChecked.get(rows);
  if (known === undefined) {
    known = true;
    for (let i = 0; i < rows.length && known; i++) known = rows[i] === i;
    identityChecked.set(rows, known);
  }
  return known;
}

/**
 * Fills NaN runs in place: `ffill` carries the previous value; `interpolate` draws a straight line in time
 * between the neighbours (trailing gaps are carried forward). Leading NaNs stay; their count is returned.
 */
function fillGaps(
  values: Float64Array,
  ts: Float64Array,
  mode: 'ffill' | 'interpolate',
  rows: Set<number>,
): { filled: number; leading: number } {
  let leading = 0;
  while (leading < values.length && Number.isNaN(values[leading])) leading++;
  let filled = 0;
  for (let i = leading; i < values.length; i++) {
    if (!Number.isNaN(values[i])) continue;
    let j = i;
    while (j < values.length && Number.isNaN(values[j])) j++;
    const left = values[i - 1];
    for (let k = i; k < j; k++) {
      values[k] =
        mode === 'interpolate' && j < values.length
          ? left + ((values[j] - left) * (ts[k] - ts[i - 1])) / (ts[j] - ts[i - 1])
          : left;
      rows.add(k);
      filled++;
    }
    i = j;
  }
  return { filled, leading };
}
